package kr.nuri.server.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import kr.nuri.core.event.Event;
import kr.nuri.server.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer, pipelined behind the engine: while the engine decides batch k+1, this thread
 * makes batch k durable. Whatever batches are waiting when it comes round are written in one transaction
 * (group commit), and only then are their requests answered and their events published, in order. Reads
 * travel through here too, so no answer reveals a state that is not yet durable.
 */
final class JournalWriter {
    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

    /** What one engine batch produced, waiting to be made durable. */
    record Batch(List<Event> events, Long checkpoint, long wallMillis, List<Runnable> answers, List<Runnable> after,
                 List<kr.nuri.server.journal.AuditLog.Entry> audits) {}

    private final Journal journal;
    private final LongSupplier clockMillis;
    private final LoopMetrics metrics;
    private final long renewMillis;
    private final BlockingQueue<Batch> pending = new ArrayBlockingQueue<>(256);
    private final Thread thread;
    private final Consumer<Throwable> onFailure;
    private volatile boolean running = true;
    private final java.util.concurrent.ExecutorService answering = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private long lastWriteMillis;

    JournalWriter(Journal journal, LongSupplier clockMillis, LoopMetrics metrics, long renewMillis, Consumer<Throwable> onFailure) {
        this.journal = journal;
        this.clockMillis = clockMillis;
        this.metrics = metrics;
        this.renewMillis = renewMillis;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name("nuri-journal").unstarted(this::run);
    }

    void start() {
        lastWriteMillis = clockMillis.getAsLong();
        thread.start();
    }

    /** Hands a batch over; blocks when the writer is far behind, which slows the engine to the disk's pace. */
    void enqueue(Batch batch) throws InterruptedException {
        while (!pending.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (!running) throw new IllegalStateException("the journal writer has stopped");
        }
    }

    private void run() {
        List<Batch> group = new ArrayList<>();
        while (running) {
            try {
                Batch first = pending.poll(Math.min(renewMillis, 200), TimeUnit.MILLISECONDS);
                long now = clockMillis.getAsLong();
                if (first == null) {
                    if (now - lastWriteMillis >= renewMillis) {
                        journal.renewLease(now);
                        lastWriteMillis = now;
                    }
                    continue;
                }
                group.clear();
                group.add(first);
                pending.drainTo(group);
                write(group, now);
                for (Batch b : group) {
                    // Answer on other threads: rendering and sending the responses must not hold up the next write.
                    for (Runnable r : b.answers()) answering.execute(r);
                    for (Runnable r : b.after()) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            log.warn("after-commit action failed: {}", e.toString());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                running = false;
                log.error("journal writer stopped: {}", t.getMessage(), t);
                onFailure.accept(t); // the engine stops first, so these answers report it rather than success
                for (Batch b : group) b.answers().forEach(Runnable::run);
                for (Batch b : drainUnwritten()) b.answers().forEach(Runnable::run);
            }
        }
    }

    private void write(List<Batch> group, long now) {
        List<Journal.Group> groups = new ArrayList<>(group.size());
        List<kr.nuri.server.journal.AuditLog.Entry> audits = new ArrayList<>();
        int events = 0;
        for (Batch b : group) {
            if (!b.events().isEmpty() || b.checkpoint() != null) groups.add(new Journal.Group(b.events(), b.checkpoint()));
            audits.addAll(b.audits());
            events += b.events().size();
        }
        if (groups.isEmpty() && audits.isEmpty()) return;
        long t0 = System.nanoTime();
        journal.append(groups, audits, now);
        metrics.journalAppend(System.nanoTime() - t0, events);
        metrics.journalSync(journal.lastSyncNanos());
        lastWriteMillis = now;
    }

    /** Batches handed over but not yet answered, for a stop: the caller answers them as unavailable. */
    List<Batch> drainUnwritten() {
        List<Batch> rest = new ArrayList<>();
        pending.drainTo(rest);
        return rest;
    }

    /**
     * Writes what is still waiting, then stops. The thread is interrupted only if that takes over 10 s: an
     * interrupt in the middle of file I/O would close H2's file channel under it.
     */
    void close() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!pending.isEmpty() && thread.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        try {
            thread.join(2_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
