package kr.nuri.server.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.execution.VirtualExecution;
import kr.nuri.core.engine.EngineFault;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.server.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the engine. Requests queue up; the loop takes all that are waiting (a batch),
 * runs them on the engine, and hands the batch's events to the {@link JournalWriter}, which makes them
 * durable (group commit) and only then answers. The engine decides the next batch meanwhile. Reads go
 * through the same queue, so they never see a half-applied state and are answered only once everything
 * before them is durable. If the journal fails, everything stops: memory would be ahead of the truth, and
 * a restart recovers from the journal.
 */
public final class EngineLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);
    private static final int MAX_BATCH = 2_048;

    private final Engine engine;
    private final LongSupplier clockMillis;
    private final List<EventObserver> observers;
    private final VirtualExecution execution;
    private final LoopSettings settings;
    private final LoopMetrics metrics;
    private final Snapshotter snapshotter;
    private final JournalWriter writer;
    private final BlockingQueue<Task<?>> queue;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** The journal writer failed: batches it had not made durable are answered as not stored. */
    private volatile boolean journalFailed;
    private final CompletableFuture<Throwable> stopped = new CompletableFuture<>();
    private volatile long eventsAssigned;
    private long eventsSinceCheckpoint;
    private long eventsSinceSnapshot;
    private long nextTickMillis;
    private long lastTickMillis;
    private long lastFullPassMillis;
    private boolean estimatesWanted;
    private long nextSecondMillis;

    public EngineLoop(Engine engine, Journal journal, LongSupplier clockMillis, List<EventObserver> observers,
                      VirtualExecution execution, LoopSettings settings, LoopMetrics metrics, Snapshotter snapshotter) {
        this.engine = engine;
        this.clockMillis = clockMillis;
        this.observers = List.copyOf(observers);
        this.execution = execution;
        this.settings = settings;
        this.metrics = metrics;
        this.snapshotter = snapshotter;
        this.eventsAssigned = journal.nextSeq() - 1;
        this.writer = new JournalWriter(journal, clockMillis, metrics, settings.leaseRenewMillis(), t -> {
            journalFailed = true;
            stopFor(t);
        });
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = Thread.ofPlatform().name("nuri-engine").unstarted(this::run);
    }

    /** Starts the loop; {@code eventsSinceSnapshot}: journal events after the newest snapshot (counts toward the next). */
    public void start(long eventsSinceSnapshot) {
        this.eventsSinceSnapshot = eventsSinceSnapshot;
        long now = clockMillis.getAsLong();
        nextTickMillis = now;
        nextSecondMillis = now;
        writer.start();
        thread.start();
    }

    /** Queues work; the future completes after the batch it ran in (and every batch before) is durable. */
    public <T> CompletableFuture<T> submit(Work<T> work) {
        Task<T> task = new Task<>(work, new CompletableFuture<>(), System.nanoTime());
        if (!running) {
            task.future().completeExceptionally(new Unavailable("the engine has stopped: " + failureMessage()));
        } else if (!queue.offer(task)) {
            task.future().completeExceptionally(new Unavailable("the engine queue is full (" + settings.queueCapacity()
                    + " requests waiting); retry shortly"));
        }
        return task.future();
    }

    /** Receives each batch of events: prepared on the engine thread, delivered once the batch is durable. */
    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    public int queueDepth() { return queue.size(); }

    public boolean isRunning() { return running; }

    /** Why the loop stopped on its own (the journal failed, or a command failed part-way); null while it runs. */
    public Throwable failure() { return failure; }

    /** Completes when the loop stops: with the failure that stopped it, or null after {@link #close()}. */
    public CompletableFuture<Throwable> stopped() { return stopped; }

    /** Events given journal positions so far (on the engine thread: those of every batch run). */
    public long eventsAssigned() { return eventsAssigned; }

    private String failureMessage() {
        return failure == null ? "shut down" : failure.getMessage();
    }

    private void stopFor(Throwable t) {
        failure = t;
        running = false;
        thread.interrupt();
        stopped.complete(t);
    }

    /**
     * A command failed part-way on the engine thread: the engine holds events no journal has, and may not decide
     * again. Stop (without interrupting this thread, which still hands the batch's earlier, complete commands to the
     * writer); a restart rebuilds the engine from the journal.
     */
    private void faulted(EngineFault f) {
        failure = f;
        running = false;
        log.error("engine stopped: {}. Nothing after the last complete command is stored; restart to recover from the journal.",
                f.getMessage(), f);
        stopped.complete(f);
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>();
        while (running) {
            try {
                long now = clockMillis.getAsLong();
                long wait = Math.max(0, Math.min(nextSecondMillis, nextTickMillis) - now);
                Task<?> first = queue.poll(wait, TimeUnit.MILLISECONDS);
                batch.clear();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                stopFor(t);
                log.error("engine loop stopped: {}", t.getMessage(), t);
                for (Task<?> task : batch) task.future().completeExceptionally(new Unavailable("not stored: " + t.getMessage()));
            }
        }
        Unavailable gone = new Unavailable("the engine has stopped: " + failureMessage());
        for (Task<?> t; (t = queue.poll()) != null; ) t.future().completeExceptionally(gone);
        // Batches already handed to the writer are written (close) or answered as failed (writer failure) there.
    }

    private void runBatch(List<Task<?>> batch) throws InterruptedException {
        long wallMillis = clockMillis.getAsLong();
        long now = Math.max(engine.state().now(), wallMillis / 1000);
        List<Event> events = new ArrayList<>();
        List<kr.nuri.server.journal.AuditLog.Entry> audits = new ArrayList<>();
        BatchSession session = new BatchSession(now, events, audits);
        Object[] answers = new Object[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (!running) {
                answers[i] = new Unavailable("not stored: the engine has stopped: " + failureMessage());
                continue;
            }
            try {
                answers[i] = batch.get(i).work().run(session);
            } catch (RuntimeException e) {
                answers[i] = e; // a bug in one request's handler must not take the batch down
            }
        }
        if (!running) {
            // Faulted: journal the complete commands before the fault (answered once durable), nothing of the state after.
            List<Runnable> replies = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) replies.add(reply(batch.get(i), answers[i]));
            eventsAssigned += events.size();
            writer.enqueue(new JournalWriter.Batch(events, null, wallMillis, replies, List.of(), audits));
            return;
        }
        if (wallMillis >= nextSecondMillis) {
            for (String id : execution.dueBy(now, engine)) session.apply(t -> new Command.JobFinished(t, id, true));
            // A walltime that has ended ends its job now, not at the next periodic tick: its GPUs go back within a second
            // (it is charged to its walltime either way).
            var byDeadline = engine.state().running().byDeadline();
            if (!byDeadline.isEmpty() && byDeadline.first().deadline() <= now && wallMillis < nextTickMillis) {
                session.apply(t -> new Command.Tick(t, false));
            }
            nextSecondMillis = wallMillis + 1_000;
        }
        if (estimatesWanted) {
            // Soon, but a full pass over a large backlog is costly: at least 2 s and 100 passes' time apart (≤ 1% of the
            // engine; with a 300-ms pass over 140,000 waiting jobs that is the regular 30-s tick anyway).
            long earliest = lastTickMillis + Math.max(2_000, 100 * lastFullPassMillis);
            nextTickMillis = Math.min(nextTickMillis, Math.max(earliest, wallMillis + 1_000));
            estimatesWanted = false;
        }
        if (wallMillis >= nextTickMillis) {
            long t0 = System.nanoTime();
            session.apply(Command.Tick::new);
            lastFullPassMillis = (System.nanoTime() - t0) / 1_000_000;
            lastTickMillis = wallMillis;
            nextTickMillis = wallMillis + settings.tickMillis();
        }
        if (batch.isEmpty() && events.isEmpty() && audits.isEmpty()) return;
        eventsAssigned += events.size();
        eventsSinceCheckpoint += events.size();
        eventsSinceSnapshot += events.size();
        Long checkpoint = null;
        if (eventsSinceCheckpoint >= settings.checkpointEvery()) {
            checkpoint = engine.stateHash();
            eventsSinceCheckpoint = 0;
        }
        List<Runnable> after = new ArrayList<>();
        if (eventsSinceSnapshot >= settings.snapshotEvery()) {
            eventsSinceSnapshot = 0;
            after.add(snapshotter.capture(eventsAssigned, checkpoint != null ? checkpoint : engine.stateHash(), wallMillis));
        }
        if (!events.isEmpty()) {
            List<Event> published = List.copyOf(events);
            long firstSeq = eventsAssigned - events.size() + 1;
            for (Subscriber s : subscribers) after.add(s.prepare(firstSeq, published, engine));
        }
        List<Runnable> replies = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) replies.add(reply(batch.get(i), answers[i]));
        writer.enqueue(new JournalWriter.Batch(events, checkpoint, wallMillis, replies, after, audits));
    }

    /** Answers a task once its batch is durable (or, if the journal failed first, as not stored). */
    private Runnable reply(Task<?> task, Object answer) {
        return () -> {
            metrics.request(System.nanoTime() - task.queuedNanos());
            task.complete(!journalFailed || answer instanceof RuntimeException ? answer
                    : new Unavailable("not stored: " + failureMessage()));
        };
    }

    @Override
    public void close() {
        stopped.complete(null);
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    private final class BatchSession implements Session {
        private final long now;
        private final List<Event> events;
        private final List<kr.nuri.server.journal.AuditLog.Entry> audits;

        BatchSession(long now, List<Event> events, List<kr.nuri.server.journal.AuditLog.Entry> audits) {
            this.now = now;
            this.events = events;
            this.audits = audits;
        }

        @Override
        public void audit(kr.nuri.server.journal.AuditLog.Entry entry) {
            audits.add(entry);
        }

        @Override
        public long now() { return now; }

        @Override
        public Engine engine() { return engine; }

        @Override
        public void wantEstimatesSoon() {
            estimatesWanted = true;
        }

        @Override
        public Result apply(LongFunction<Command> command) {
            if (!running) throw new Unavailable("not stored: the engine has stopped: " + failureMessage());
            long t0 = System.nanoTime();
            Result r;
            try {
                r = engine.apply(command.apply(now));
            } catch (EngineFault f) {
                faulted(f);
                throw new Unavailable("not stored: the engine has stopped: " + f.getMessage());
            }
            if (r.pass() != null) metrics.pass(System.nanoTime() - t0, r.pass());
            for (Event e : r.events()) {
                for (EventObserver o : observers) o.observe(e, engine);
            }
            events.addAll(r.events());
            return r;
        }
    }

    private record Task<T>(Work<T> work, CompletableFuture<T> future, long queuedNanos) {
        @SuppressWarnings("unchecked")
        void complete(Object answer) {
            if (answer instanceof RuntimeException e) future.completeExceptionally(e);
            else future.complete((T) answer);
        }
    }

    /**
     * Takes a snapshot on the engine thread (copying what it needs) and returns the write, which runs once
     * the events before it are durable, off the engine thread.
     */
    public interface Snapshotter {
        Runnable capture(long seq, long stateHash, long atMillis);
    }

    /** Turns a batch of events into a delivery: prepared on the engine thread, run once they are durable. */
    @FunctionalInterface
    public interface Subscriber {
        /** {@code firstSeq}: the journal position of the first event (the rest follow one by one). */
        Runnable prepare(long firstSeq, List<Event> events, Engine engine);
    }

    /** The engine cannot take requests now (stopped, or its queue is full). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
