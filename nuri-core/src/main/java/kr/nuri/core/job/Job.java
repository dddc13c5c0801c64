package kr.nuri.core.job;

/**
 * A job as the engine tracks it. Mutated only by the state's {@code replay} (and a snapshot's restore); read it
 * through the getters. Why a waiting job waits and when it should start are the scheduler's verdict, which the
 * scheduler keeps ({@code schedule/Verdicts}), not the job.
 */
public final class Job {
    private final JobSpec spec;
    final long seq;
    final long submitTime;
    final int project;
    final int award;
    final int priorityClass;
    final int priority;
    long walltime;
    /** Whether its walltime was changed after submission (then snapshots carry it). */
    boolean walltimeSet;
    final boolean preemptible;
    final int[] allowedPools;
    JobState state = JobState.PENDING;
    long startTime = -1;
    long endTime = -1;
    int pool = -1;
    int[] nodes;
    int[] gpus;
    int[] slots;
    boolean borrowed;
    boolean held;
    long gpuSeconds;
    int runs;
    Outcome lastOutcome;

    public Job(JobSpec spec, long seq, long submitTime, int project, int award, int priorityClass, int priority,
               long walltime, boolean preemptible, int[] allowedPools) {
        this.spec = spec;
        this.seq = seq;
        this.submitTime = submitTime;
        this.project = project;
        this.award = award;
        this.priorityClass = priorityClass;
        this.priority = priority;
        this.walltime = walltime;
        this.preemptible = preemptible;
        this.allowedPools = allowedPools;
    }

    /**
     * A key for searching sets ordered by priority, start time and sequence number (the running jobs' victim
     * order): no job, only those three fields.
     */
    public static Job orderKey(int priority, long startTime, long seq) {
        Job key = new Job(null, seq, 0, -1, -1, -1, priority, 0, false, new int[0]);
        key.startTime = startTime;
        return key;
    }

    public JobSpec spec() { return spec; }
    public String id() { return spec.id(); }
    public long seq() { return seq; }
    public long submitTime() { return submitTime; }
    public int project() { return project; }
    public int award() { return award; }
    public int priorityClass() { return priorityClass; }
    public int priority() { return priority; }
    public long walltime() { return walltime; }
    public boolean preemptible() { return preemptible; }
    /** Indexes of the pools it may run on, in the order it prefers them (its own pools first, then those it may borrow from). */
    public int[] allowedPools() { return allowedPools; }
    /** GPUs it counts against quota, fair share and awards (a share counts as one). */
    public int totalGpus() { return spec.members() * spec.gpusPerMember(); }
    public JobState state() { return state; }
    public long startTime() { return startTime; }
    public long endTime() { return endTime; }
    /** When a running job's walltime ends. */
    public long deadline() { return startTime + walltime; }

    /**
     * The one charge rule: a run that ends with its GPUs held until {@code heldUntil} is charged until then, never
     * past its walltime, never before its start. The ledger, awards, fair share and {@code /usage} all use this.
     */
    public long heldUntil(long heldUntil) { return heldUntil(startTime, walltime, heldUntil); }

    /** {@link #heldUntil(long)} for a run that started at {@code start} (a projection may see a later run already). */
    public static long heldUntil(long start, long walltime, long heldUntil) {
        return Math.max(start, Math.min(heldUntil, start + walltime));
    }

    /** GPU-seconds of the current run if it ends with its GPUs held until {@code heldUntil} (a share counts one GPU). */
    public long chargeFor(long heldUntil) { return (heldUntil(heldUntil) - startTime) * totalGpus(); }
    /**
     * Walltime it has left: less what its ended runs held and, when {@code now >= 0} and it runs, what the current
     * run has held so far.
     */
    public long walltimeLeft(long now) {
        long served = totalGpus() == 0 ? 0 : gpuSeconds / totalGpus();
        if (now >= 0 && startTime >= 0) served += now - startTime;
        return Math.max(0, walltime - served);
    }

    /** The pool (owner × GPU model) it runs on, or -1 when it does not run. */
    public int pool() { return pool; }
    /** Node indexes of the current placement (a node may appear once per member placed on it). */
    public int[] nodes() { return nodes; }
    /** GPUs held on each node of {@link #nodes()}. */
    public int[] gpus() { return gpus; }
    /** For a job sharing a GPU: the shared GPU slot it holds on each node; null otherwise. */
    public int[] slots() { return slots; }
    public boolean borrowed() { return borrowed; }
    /** Held: waiting, but not considered until released. */
    public boolean held() { return held; }
    /** GPU-seconds charged over all its runs so far. */
    public long gpuSeconds() { return gpuSeconds; }
    public int runs() { return runs; }
    public Outcome lastOutcome() { return lastOutcome; }
    // Mutators, called only from the state's replay.
    public void markHeld(boolean held) {
        this.held = held;
    }

    public void markWalltime(long walltime) {
        this.walltime = walltime;
        this.walltimeSet = true;
    }

    /** Whether its walltime was changed after submission. */
    public boolean walltimeSet() { return walltimeSet; }

    public void markStarted(long time, int pool, int[] nodes, int[] gpus, int[] slots, boolean borrowed) {
        this.state = JobState.RUNNING;
        this.slots = slots;
        this.startTime = time;
        this.pool = pool;
        this.nodes = nodes;
        this.gpus = gpus;
        this.borrowed = borrowed;
        this.runs++;
    }

    public void markEnded(long time, Outcome outcome, long chargedGpuSeconds, boolean requeued) {
        this.gpuSeconds += chargedGpuSeconds;
        this.lastOutcome = outcome;
        this.nodes = null;
        this.gpus = null;
        this.slots = null;
        this.pool = -1;
        this.borrowed = false;
        if (requeued) {
            this.state = JobState.PENDING;
            this.startTime = -1;
        } else {
            this.endTime = time;
            this.state = switch (outcome) {
                case COMPLETED -> JobState.COMPLETED;
                case CANCELLED -> JobState.CANCELLED;
                case TIMEOUT -> JobState.TIMEOUT;
                default -> JobState.FAILED;
            };
        }
    }

    /** Sets what a snapshot recorded of this job's runs (restore only; a fresh job is PENDING). */
    public void restoreRuns(JobState state, long startTime, long endTime, int pool, int[] nodes, int[] gpus, int[] slots,
                            boolean borrowed, long gpuSeconds, int runs, Outcome lastOutcome) {
        this.state = state;
        this.slots = slots;
        this.startTime = startTime;
        this.endTime = endTime;
        this.pool = pool;
        this.nodes = nodes;
        this.gpus = gpus;
        this.borrowed = borrowed;
        this.gpuSeconds = gpuSeconds;
        this.runs = runs;
        this.lastOutcome = lastOutcome;
    }
}
