package kr.nuri.core.execution;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;

/**
 * Execution without a cluster manager, the one model of how long work takes that the server, the simulator and the
 * benchmark share: a started job completes when the work it declared ({@code runtime}) is done. A run ended early
 * (preemption, node failure, cancel) keeps its work up to its last checkpoint ({@code checkpointSeconds}; 0 = none:
 * it starts over) and the next run does only what is left. It accounts what each ended run held and what it threw
 * away, by outcome.
 *
 * <p>Pure and deterministic like the engine: it only observes the engine's events and says when runs are due; the
 * caller owns the clock (the server's wall clock, the simulator's agenda, the benchmark's loop) and reports each
 * completion to the engine as a {@code JobFinished} command.
 */
public final class VirtualExecution {
    /** A run's completion, due at {@code time}; stale once the job has left the run ({@link #current}). */
    public record Due(long time, String jobId, int run, long seq) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private record Run(long start, int gpus) { }

    /** Returned by {@link #observe} for a start that completes by no work of its own (its walltime or a client ends it). */
    public static final long NOT_DUE = Long.MAX_VALUE;

    private final long checkpointSeconds;
    private final boolean untilWalltime;
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final Map<String, Run> running = new HashMap<>();
    private final Map<String, Long> saved = new HashMap<>();
    private final Map<Outcome, Double> held = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Double> lost = new EnumMap<>(Outcome.class);
    private long sequence;
    /** Which started jobs this model runs (the others run at a site's cluster manager, which says when they end). */
    private java.util.function.Predicate<Job> runsHere = j -> true;

    /**
     * @param checkpointSeconds how often jobs checkpoint (0 = never: a run ended early starts over)
     * @param untilWalltime     whether a job that declared no runtime works until its walltime (the simulator's and the
     *                          benchmark's rule) or until a client reports it finished (the server's)
     */
    public VirtualExecution(long checkpointSeconds, boolean untilWalltime) {
        if (checkpointSeconds < 0) throw new IllegalArgumentException("checkpoint interval " + checkpointSeconds + " s must be 0 (none) or positive");
        this.checkpointSeconds = checkpointSeconds;
        this.untilWalltime = untilWalltime;
    }

    /** Runs only the jobs {@code runsHere} accepts; the others are a cluster manager's, which reports when they end. */
    public VirtualExecution only(java.util.function.Predicate<Job> runsHere) {
        this.runsHere = runsHere;
        return this;
    }

    /** Seconds of work a job needs in all: its declared runtime, else (with {@code untilWalltime}) its walltime, else 0 (none known). */
    public long work(Job job) {
        long runtime = job.spec().runtime();
        return runtime > 0 ? runtime : untilWalltime ? job.walltime() : 0;
    }

    /** Seconds of work a job has left: its work less what checkpoints kept of its earlier runs. */
    public long left(Job job) {
        return work(job) - saved.getOrDefault(job.id(), 0L);
    }

    /**
     * Observes an event the engine replayed. For a start, returns when the run is due (its work left done), or
     * {@link #NOT_DUE} when the run has no work of its own or its walltime ends it first; -1 for other events.
     */
    public long observe(Event event, Engine engine) {
        switch (event) {
            case Event.JobStarted s -> {
                int gpus = 0;
                for (int g : s.gpus()) gpus += g;
                running.put(s.jobId(), new Run(s.time(), gpus));
                Job job = engine.job(s.jobId());
                if (work(job) <= 0 || !runsHere.test(job)) return NOT_DUE;
                long left = left(job);
                if (left > job.walltime()) return NOT_DUE;
                due.add(new Due(s.time() + left, s.jobId(), job.runs(), sequence++));
                return s.time() + left;
            }
            case Event.JobEnded x -> {
                Run run = running.remove(x.jobId());
                if (run == null) return -1; // a waiting job cancelled
                long ran = x.time() - run.start();
                boolean completed = x.outcome() == Outcome.COMPLETED;
                long kept = completed || checkpointSeconds == 0 ? 0 : ran / checkpointSeconds * checkpointSeconds;
                if (x.requeued() && kept > 0) saved.merge(x.jobId(), kept, Long::sum);
                if (!x.requeued()) saved.remove(x.jobId());
                held.merge(x.outcome(), (double) run.gpus() * ran, Double::sum);
                if (!completed) lost.merge(x.outcome(), (double) run.gpus() * (ran - kept), Double::sum);
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /** Observes every event of a result. */
    public void observeAll(List<Event> events, Engine engine) {
        for (Event e : events) observe(e, engine);
    }

    /** The earliest due run (perhaps stale, see {@link #current}), or null. */
    public Due peek() { return due.peek(); }

    /** Removes and returns the earliest due run (perhaps stale), or null. */
    public Due poll() { return due.poll(); }

    /** Whether a due run is still the job's run in progress. */
    public static boolean current(Due d, Engine engine) {
        Job job = engine.job(d.jobId());
        return job != null && job.state() == JobState.RUNNING && job.runs() == d.run();
    }

    /** Jobs whose run is due by {@code now} and still in progress, in due order. */
    public List<String> dueBy(long now, Engine engine) {
        List<String> out = new ArrayList<>();
        while (!due.isEmpty() && due.peek().time() <= now) {
            Due d = due.poll();
            if (current(d, engine)) out.add(d.jobId());
        }
        return out;
    }

    /**
     * After a restore from a snapshot: every running job is due when its work left is done, counted from its start
     * (checkpoints of runs before the snapshot are not known: with checkpoints, restore is approximate).
     */
    public void rebuild(Engine engine) {
        due.clear();
        running.clear();
        for (Job job : engine.state().running().byDeadline()) {
            int gpus = 0;
            for (int g : job.gpus()) gpus += g;
            running.put(job.id(), new Run(job.startTime(), gpus));
            long left = left(job);
            if (work(job) > 0 && left <= job.walltime() && runsHere.test(job)) due.add(new Due(job.startTime() + left, job.id(), job.runs(), sequence++));
        }
    }

    /** GPU-seconds held by runs that ended with {@code outcome}. */
    public double heldGpuSeconds(Outcome outcome) { return held.getOrDefault(outcome, 0.0); }

    /** GPU-seconds held by every run that ended. */
    public double heldGpuSeconds() { return held.values().stream().mapToDouble(Double::doubleValue).sum(); }

    /** GPU-seconds of work thrown away by runs that ended with {@code outcome}: what they did since their last checkpoint. */
    public double lostGpuSeconds(Outcome outcome) { return lost.getOrDefault(outcome, 0.0); }
}
