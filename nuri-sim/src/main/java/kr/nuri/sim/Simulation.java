package kr.nuri.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.core.execution.VirtualExecution;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.state.StateView;
import kr.nuri.sim.metrics.JobOutcome;
import kr.nuri.sim.metrics.Summary;

/**
 * The discrete-event simulator: the very engine the server runs, driven by a virtual clock. Arrivals become
 * SubmitJob commands; a started job completes {@code runtime} seconds later (JobFinished), or is ended by
 * its walltime at the Tick that follows its deadline; a periodic Tick gives the full pass (reasons,
 * estimates) its place. With a {@link FailureModel}, nodes fail (NodeDown: the engine ends their jobs, which
 * requeue unless they said otherwise) and come back after a repair (NodeUp). A run ended early (node failure,
 * preemption) restarts from scratch, or, with {@link #checkpointEvery}, from its last checkpoint. Scheduling
 * itself is never reimplemented here: every decision is the engine's; how long work takes is
 * {@link VirtualExecution}'s, the model the server and the benchmark use too.
 */
public final class Simulation {
    private final long tickSeconds;
    private final Engine engine;
    private final PriorityQueue<Pending> agenda = new PriorityQueue<>();
    private final Map<String, Life> lives = new HashMap<>();
    private final List<Life> order = new ArrayList<>();
    /** Jobs waiting that have not had an estimated start yet. */
    private final List<Life> awaitingEstimate = new ArrayList<>();
    /** Jobs waiting that have an estimate: their moves are counted. */
    private final List<Life> estimated = new ArrayList<>();
    private long[] estimateMoves = new long[1024];
    private int moves;
    /** Moves by cause ({@code Verdicts.MoveCause} ordinal; the last entry: a move the fluid estimate did not make, as a reservation's). */
    private final long[] movesByCause = new long[kr.nuri.core.schedule.Verdicts.MoveCause.values().length + 1];
    private final Map<String, Integer> running = new HashMap<>();
    private long sequence;
    private long allocated;
    private long lastChange;
    private double allocatedGpuSeconds;
    private long preemptions;
    private static final long BUCKET = 3600;
    private double[] buckets = new double[64];
    private int lastBucket = -1;
    private Progress progress = Progress.NONE;
    private final List<String> rejected = new ArrayList<>();
    private final List<String> refusedChanges = new ArrayList<>();
    private int arrivalsLeft;
    private boolean tickPending;
    private FailureModel failureModel;
    private SplittableRandom failureRandom;
    private boolean failurePending;
    private long failures;
    private long nodeDownSeconds;
    private long interruptedRuns;
    private VirtualExecution execution = new VirtualExecution(0, true);
    private long sampleEvery;
    private Sampler sampler;
    private boolean samplePending;

    /** Looks at the engine's state at regular virtual times (e.g. to measure fragmentation); it must not change it. */
    @FunctionalInterface
    public interface Sampler {
        void sample(long time, StateView state);
    }

    public Simulation(EngineConfig config, long tickSeconds) {
        if (tickSeconds <= 0) throw new IllegalArgumentException("tickSeconds=" + tickSeconds + " must be positive. Maybe 60?");
        this.tickSeconds = tickSeconds;
        this.engine = new Engine(config);
        this.ownership = new kr.nuri.sim.metrics.OwnershipUse(config);
    }

    private final kr.nuri.sim.metrics.OwnershipUse ownership;

    /** Whose nodes ran whose work, per owner: own use, lent, borrowed. */
    public kr.nuri.sim.metrics.OwnershipUse ownership() {
        return ownership;
    }

    /**
     * Something due at a virtual time; at the same second: completions, changes, node failures and repairs,
     * arrivals, samples, ticks. A FAILURE without a command is the failure model's next draw.
     */
    private record Pending(long time, int kind, long seq, Arrival arrival, String jobId, int run, Command change) implements Comparable<Pending> {
        static final int COMPLETION = 0;
        static final int CHANGE = 1;
        static final int FAILURE = 2;
        static final int ARRIVAL = 3;
        static final int SAMPLE = 4;
        static final int TICK = 5;

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(time, o.time);
            if (c != 0) return c;
            c = Integer.compare(kind, o.kind);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** What is known of one job's life. */
    private static final class Life {
        final String id;
        final String project;
        final int gpus;
        final long submit;
        /** What one uninterrupted run would take: the work, capped by the walltime (the job's runtime in reports). */
        final long runtime;
        long firstStart = -1;
        long firstEstimate = -1;
        long lastEstimate = -1;
        long runStart = -1;
        double gpuSeconds;
        long end = -1;
        boolean completed;

        Life(String id, String project, int gpus, long submit, long work, long walltime) {
            this.id = id;
            this.project = project;
            this.gpus = gpus;
            this.submit = submit;
            this.runtime = Math.min(work, walltime);
        }
    }

    /**
     * A command applied at its own time during {@link #run} (a what-if: a quota change, an award), before the
     * arrivals of that second. Call before {@link #run}.
     */
    public void change(Command c) {
        if (c instanceof Command.SubmitJob || c instanceof Command.Tick) {
            throw new IllegalArgumentException("a change is a quota or award command, not " + c.getClass().getSimpleName());
        }
        agenda.add(new Pending(c.time(), Pending.CHANGE, sequence++, null, null, 0, c));
    }

    /** Nodes fail and are repaired as the model says, while there is work. Call before {@link #run}. */
    public void failures(FailureModel model) {
        failureModel = model;
        failureRandom = new SplittableRandom(model.seed());
    }

    /**
     * Jobs checkpoint every {@code seconds} of a run: a run ended early keeps its work up to its last checkpoint,
     * and the next run does only what is left. 0 (the default) = a job ended early starts over. Call before
     * {@link #run}.
     */
    public void checkpointEvery(long seconds) {
        execution = new VirtualExecution(seconds, true);
    }

    /** Calls the sampler every {@code seconds} of virtual time while there is work. Call before {@link #run}. */
    public void sampleEvery(long seconds, Sampler s) {
        if (seconds <= 0) throw new IllegalArgumentException("sample interval " + seconds + " s must be positive");
        sampleEvery = seconds;
        sampler = s;
    }

    /** Changes the engine refused, each with its reason. */
    public List<String> refusedChanges() { return List.copyOf(refusedChanges); }

    /** Where {@link #run} reports arrivals processed. */
    public void progress(Progress p) { progress = p; }

    /** Runs the arrivals (in any order) until every job has ended or can never start; returns what it measured. */
    public Summary run(List<Arrival> arrivals) {
        for (Arrival a : arrivals) agenda.add(new Pending(a.time(), Pending.ARRIVAL, sequence++, a, null, 0, null));
        arrivalsLeft = arrivals.size();
        if (!arrivals.isEmpty()) {
            long first = arrivals.stream().mapToLong(Arrival::time).min().orElseThrow();
            agenda.add(new Pending(first + tickSeconds, Pending.TICK, sequence++, null, null, 0, null));
            tickPending = true;
            if (sampler != null) {
                agenda.add(new Pending(Math.floorDiv(first, sampleEvery) * sampleEvery, Pending.SAMPLE, sequence++, null, null, 0, null));
                samplePending = true;
            }
            if (failureModel != null) nextFailure(first);
        }
        progress.start("simulating " + arrivals.size() + " jobs", arrivals.size());
        long reported = 0;
        while (!agenda.isEmpty()) {
            Pending p = agenda.poll();
            switch (p.kind()) {
                case Pending.ARRIVAL -> {
                    if (--arrivalsLeft % 1000 == 0) {
                        long done = arrivals.size() - arrivalsLeft;
                        progress.advance(done - reported);
                        reported = done;
                    }
                    var spec = p.arrival().spec();
                    Result r = engine.apply(new Command.SubmitJob(p.time(), spec));
                    if (r.accepted()) {
                        Job j = engine.job(spec.id());
                        Life life = new Life(spec.id(), spec.project(), (int) spec.totalGpus(), p.time(), execution.work(j), j.walltime());
                        lives.put(spec.id(), life);
                        order.add(life);
                        if (j.state() == JobState.PENDING) {
                            long eta = engine.verdicts().estimatedStart(j); // a reservation made at submit has one
                            if (eta >= 0) estimated(life, eta);
                            else awaitingEstimate.add(life);
                        }
                    } else {
                        rejected.add("job " + spec.id() + ": " + r.rejection().message());
                    }
                    observe(r);
                }
                case Pending.CHANGE -> {
                    Result r = engine.apply(p.change());
                    if (!r.accepted()) refusedChanges.add(p.change() + ": " + r.rejection().message());
                    observe(r);
                }
                case Pending.COMPLETION -> {
                    Job j = engine.job(p.jobId());
                    if (j.state() == JobState.RUNNING && j.runs() == p.run()) {
                        observe(engine.apply(new Command.JobFinished(p.time(), p.jobId(), true)));
                    }
                }
                case Pending.FAILURE -> {
                    if (p.change() != null) {
                        observe(engine.apply(p.change())); // a repaired node comes back
                    } else if (busy()) { // the next draw: still pending while this one is handled, so wake() adds none
                        fail(p.time());
                        nextFailure(p.time());
                    } else {
                        failurePending = false;
                    }
                }
                case Pending.SAMPLE -> {
                    sampler.sample(p.time(), engine.state());
                    if (busy()) {
                        agenda.add(new Pending(p.time() + sampleEvery, Pending.SAMPLE, sequence++, null, null, 0, null));
                    } else {
                        samplePending = false;
                    }
                }
                default -> {
                    observe(engine.apply(new Command.Tick(p.time())));
                    recordEstimates();
                    if (p.change() == null) { // the periodic tick, not a deadline's: it stays pending while applied
                        if (busy()) {
                            agenda.add(new Pending(p.time() + tickSeconds, Pending.TICK, sequence++, null, null, 0, null));
                        } else {
                            tickPending = false;
                        }
                    }
                }
            }
        }
        return Summary.of(outcomes(), allocatedGpuSeconds, engine.state().fleet().totalGpus(), preemptions);
    }

    /**
     * After a full pass: the first estimated start of every job still waiting without one (jobs that started in
     * between leave the list unjudged: they never had an estimate), and how the estimates of jobs that have one moved
     * since the last full pass.
     */
    private void recordEstimates() {
        List<Life> still = new ArrayList<>(estimated.size());
        for (Life l : estimated) {
            if (l.firstStart >= 0 || l.end >= 0) continue;
            long eta = engine.verdicts().estimatedStart(engine.job(l.id));
            if (eta >= 0 && eta != l.lastEstimate) {
                if (estimateMoves.length == moves) estimateMoves = java.util.Arrays.copyOf(estimateMoves, moves * 2);
                estimateMoves[moves++] = Math.abs(eta - l.lastEstimate);
                var move = engine.verdicts().move(engine.job(l.id));
                movesByCause[move != null && move.to() == eta ? move.cause().ordinal() : movesByCause.length - 1]++;
                l.lastEstimate = eta;
            }
            still.add(l);
        }
        estimated.clear();
        estimated.addAll(still);
        if (awaitingEstimate.isEmpty()) return;
        still = new ArrayList<>(awaitingEstimate.size());
        for (Life l : awaitingEstimate) {
            if (l.firstStart >= 0 || l.end >= 0) continue;
            long eta = engine.verdicts().estimatedStart(engine.job(l.id));
            if (eta >= 0) estimated(l, eta);
            else still.add(l);
        }
        awaitingEstimate.clear();
        awaitingEstimate.addAll(still);
    }

    private void estimated(Life l, long eta) {
        l.firstEstimate = eta;
        l.lastEstimate = eta;
        estimated.add(l);
    }

    /** How far estimates moved (seconds), one entry per move of a waiting job's estimate from one full pass to the next. */
    public long[] estimateMoves() { return java.util.Arrays.copyOf(estimateMoves, moves); }

    /** The moves of {@link #estimateMoves()} by why they moved: {@code Verdicts.MoveCause} by ordinal, then the moves not of the fluid estimate. */
    public long[] estimateMovesByCause() { return movesByCause.clone(); }

    /** Work is left: arrivals to come or jobs running. */
    private boolean busy() {
        return arrivalsLeft > 0 || engine.state().running().size() > 0;
    }

    /** Work started again after everything had stopped (e.g. a repaired node let a job start): the periodic chains resume. */
    private void wake(long time) {
        if (!tickPending) {
            agenda.add(new Pending(time + tickSeconds, Pending.TICK, sequence++, null, null, 0, null));
            tickPending = true;
        }
        if (sampler != null && !samplePending) {
            agenda.add(new Pending(Math.floorDiv(time, sampleEvery) * sampleEvery + sampleEvery, Pending.SAMPLE, sequence++, null, null, 0, null));
            samplePending = true;
        }
        if (failureModel != null && !failurePending) nextFailure(time);
    }

    private void nextFailure(long after) {
        int nodes = engine.state().fleet().nodeCount();
        agenda.add(new Pending(after + failureModel.nextGap(failureRandom, nodes), Pending.FAILURE, sequence++, null, null, 0, null));
        failurePending = true;
    }

    /** One failure: a node drawn at random fails if it is up (a node already down or drained is left alone). */
    private void fail(long time) {
        var fleet = engine.state().fleet();
        int node = failureRandom.nextInt(fleet.nodeCount());
        long repair = failureModel.repairTime(failureRandom);
        if (engine.state().capacity().health(node) != Health.UP) return;
        failures++;
        nodeDownSeconds += repair;
        String name = fleet.nodeName(node);
        observe(engine.apply(new Command.NodeDown(time, name)));
        agenda.add(new Pending(time + repair, Pending.FAILURE, sequence++, null, null, 0, new Command.NodeUp(time + repair, name)));
    }

    /** Nodes that failed. */
    public long failures() { return failures; }

    /** Node-seconds spent down after failures (repairs that outlast the run counted in full). */
    public long nodeDownSeconds() { return nodeDownSeconds; }

    /** Runs ended by a node failure. */
    public long interruptedRuns() { return interruptedRuns; }

    /** GPU-seconds of work node failures threw away: what the ended runs did since their last checkpoint. */
    public double lostGpuSeconds() { return execution.lostGpuSeconds(Outcome.NODE_FAILURE); }

    /** Every accepted job's life so far, in submission order. */
    public List<JobOutcome> outcomes() {
        List<JobOutcome> outcomes = new ArrayList<>(order.size());
        for (Life l : order) outcomes.add(new JobOutcome(l.id, l.project, l.gpus, l.submit, l.firstStart, l.end, l.completed, l.gpuSeconds,
                l.runtime, l.firstEstimate));
        return outcomes;
    }

    /** Submissions the engine refused, each with its reason (they are in no outcome). */
    public List<String> rejected() { return List.copyOf(rejected); }

    /** GPU-seconds held by jobs so far. */
    public double allocatedGpuSeconds() { return allocatedGpuSeconds; }

    public long preemptions() { return preemptions; }

    /** GPUs allocated on average in each hour of virtual time since 0, up to the last hour with any. */
    public double[] allocatedByHour() {
        double[] out = new double[lastBucket + 1];
        for (int b = 0; b <= lastBucket; b++) out[b] = buckets[b] / BUCKET;
        return out;
    }

    private void observe(Result r) {
        for (Event e : r.events()) {
            switch (e) {
                case Event.JobStarted s -> {
                    int gpus = 0;
                    for (int g : s.gpus()) gpus += g;
                    account(s.time(), gpus);
                    running.put(s.jobId(), gpus);
                    Job j = engine.job(s.jobId());
                    Life life = lives.get(s.jobId());
                    double[] held = new double[s.nodes().length];
                    for (int i = 0; i < held.length; i++) held[i] = j.spec().sharing() ? j.spec().gpuMilli() / 1000.0 : s.gpus()[i];
                    ownership.started(s.jobId(), j.spec().project(), s.nodes(), held, s.time());
                    if (life.firstStart < 0) life.firstStart = s.time();
                    life.runStart = s.time();
                    long due = execution.observe(s, engine);
                    if (due != VirtualExecution.NOT_DUE) {
                        agenda.add(new Pending(due, Pending.COMPLETION, sequence++, null, s.jobId(), j.runs(), null));
                    } else {
                        // It will hit its walltime: the Tick at its deadline ends it (a deadline tick, marked by a command).
                        agenda.add(new Pending(j.deadline(), Pending.TICK, sequence++, null, null, 0, new Command.Tick(j.deadline())));
                    }
                    wake(s.time());
                }
                case Event.JobEnded x -> {
                    execution.observe(x, engine);
                    Life life = lives.get(x.jobId());
                    Integer held = running.remove(x.jobId());
                    if (held != null) { // a run ended, not a waiting job cancelled
                        account(x.time(), -held);
                        ownership.ended(x.jobId(), x.heldUntil());
                        if (life != null) {
                            life.gpuSeconds += (double) held * (x.time() - life.runStart);
                            if (x.outcome() == Outcome.NODE_FAILURE) interruptedRuns++;
                        }
                    }
                    if (x.outcome() == Outcome.PREEMPTED) preemptions++;
                    if (!x.requeued() && life != null) {
                        life.end = x.time();
                        life.completed = x.outcome() == Outcome.COMPLETED;
                    }
                }
                default -> { }
            }
        }
    }

    /** Integrates allocated GPUs over time. */
    private void account(long time, int delta) {
        allocatedGpuSeconds += (double) allocated * (time - lastChange);
        for (long t = lastChange; t < time && allocated > 0; ) {
            int b = (int) (t / BUCKET);
            long end = Math.min(time, (b + 1L) * BUCKET);
            if (b >= buckets.length) buckets = java.util.Arrays.copyOf(buckets, Math.max(b + 1, buckets.length * 2));
            buckets[b] += (double) allocated * (end - t);
            lastBucket = Math.max(lastBucket, b);
            t = end;
        }
        lastChange = time;
        allocated += delta;
    }

    public Engine engine() { return engine; }
}
