package kr.nuri.core.job;

/**
 * A job as the engine tracks it. Mutated only by the engine's {@code replay}; read it through the getters.
 * The pending reason, detail and estimated start are the scheduler's latest verdict: derived data, not part
 * of the state hash.
 */
public final class Job {
    private final JobSpec spec;
    final long seq;
    final long submitTime;
    final int project;
    final int award;
    final int priorityClass;
    final int priority;
    final long walltime;
    final boolean preemptible;
    final int[] allowedModels;
    JobState state = JobState.PENDING;
    long startTime = -1;
    long endTime = -1;
    int model = -1;
    int[] nodes;
    int[] gpus;
    int[] slots;
    boolean borrowed;
    long gpuSeconds;
    int runs;
    Outcome lastOutcome;
    PendingReason reason = PendingReason.PRIORITY;
    java.util.function.Supplier<String> reasonDetail = () -> "";
    long estimatedStart = -1;
    long examinedInPass = -1;
    long failedSearchEpoch = -1;
    long failedSearchUntil;
    boolean failedSearchReserved;
    long searchMark;

    public Job(JobSpec spec, long seq, long submitTime, int project, int award, int priorityClass, int priority,
               long walltime, boolean preemptible, int[] allowedModels) {
        this.spec = spec;
        this.seq = seq;
        this.submitTime = submitTime;
        this.project = project;
        this.award = award;
        this.priorityClass = priorityClass;
        this.priority = priority;
        this.walltime = walltime;
        this.preemptible = preemptible;
        this.allowedModels = allowedModels;
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
    /** Indexes of the GPU models it may run on, in the order it prefers them. */
    public int[] allowedModels() { return allowedModels; }
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

    public int model() { return model; }
    /** Node indexes of the current placement (a node may appear once per member placed on it). */
    public int[] nodes() { return nodes; }
    /** GPUs held on each node of {@link #nodes()}. */
    public int[] gpus() { return gpus; }
    /** For a job sharing a GPU: the shared GPU slot it holds on each node; null otherwise. */
    public int[] slots() { return slots; }
    public boolean borrowed() { return borrowed; }
    /** GPU-seconds charged over all its runs so far. */
    public long gpuSeconds() { return gpuSeconds; }
    public int runs() { return runs; }
    public Outcome lastOutcome() { return lastOutcome; }
    public PendingReason reason() { return reason; }
    /** A human-readable explanation of the reason, formatted when asked (passes record it cheaply). */
    public String reasonDetail() { return reasonDetail == null ? "" : reasonDetail.get(); }
    /** Estimated start time, or -1 when none could be computed. */
    public long estimatedStart() { return estimatedStart; }

    /** The scheduler's scratch mark: the number of the pass that last examined it (not state). */
    public long examinedInPass() { return examinedInPass; }

    public void markExamined(long pass) { this.examinedInPass = pass; }

    /**
     * The scheduler's scratch memo (not state): whether a preemption search for this job failed at this {@code epoch} of
     * its models' indexes, with the same use of reserved nodes, and time has not yet reached the moment when a
     * candidate it passed over as too recently started becomes eligible.
     */
    public boolean searchKnownToFail(long epoch, long now, boolean mayUseReserved) {
        return failedSearchEpoch == epoch && now < failedSearchUntil && failedSearchReserved == mayUseReserved;
    }

    /** The preemption search's scratch mark (not state): which search last marked this running job, and how. */
    public long searchMark() { return searchMark; }

    public void setSearchMark(long mark) { this.searchMark = mark; }

    /** Records a failed preemption search (see {@link #searchKnownToFail}). */
    public void markSearchFailed(long epoch, long until, boolean mayUseReserved) {
        failedSearchEpoch = epoch;
        failedSearchUntil = until;
        failedSearchReserved = mayUseReserved;
    }

    // Mutators, called only from the engine's replay and the scheduler's verdicts.
    public void markStarted(long time, int model, int[] nodes, int[] gpus, int[] slots, boolean borrowed) {
        this.state = JobState.RUNNING;
        this.slots = slots;
        this.startTime = time;
        this.model = model;
        this.nodes = nodes;
        this.gpus = gpus;
        this.borrowed = borrowed;
        this.runs++;
        this.reason = null;
        this.reasonDetail = null;
        this.estimatedStart = -1;
    }

    public void markEnded(long time, Outcome outcome, long chargedGpuSeconds, boolean requeued) {
        this.gpuSeconds += chargedGpuSeconds;
        this.lastOutcome = outcome;
        this.nodes = null;
        this.gpus = null;
        this.slots = null;
        this.model = -1;
        this.borrowed = false;
        if (requeued) {
            this.state = JobState.PENDING;
            this.startTime = -1;
            this.reason = PendingReason.PRIORITY;
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
    public void restoreRuns(JobState state, long startTime, long endTime, int model, int[] nodes, int[] gpus, int[] slots,
                            boolean borrowed, long gpuSeconds, int runs, Outcome lastOutcome) {
        this.state = state;
        this.slots = slots;
        this.startTime = startTime;
        this.endTime = endTime;
        this.model = model;
        this.nodes = nodes;
        this.gpus = gpus;
        this.borrowed = borrowed;
        this.gpuSeconds = gpuSeconds;
        this.runs = runs;
        this.lastOutcome = lastOutcome;
        if (state != JobState.PENDING) {
            this.reason = null;
            this.reasonDetail = null;
        }
    }

    public void setVerdict(PendingReason reason, String detail, long estimatedStart) {
        setVerdict(reason, () -> detail, estimatedStart);
    }

    /** Records a verdict whose explanation is formatted only when someone reads it. */
    public void setVerdict(PendingReason reason, java.util.function.Supplier<String> detail, long estimatedStart) {
        this.reason = reason;
        this.reasonDetail = detail;
        this.estimatedStart = estimatedStart;
    }

    /** Keeps the reason and its explanation, with a new estimated start. */
    public void setEstimatedStart(long estimatedStart) {
        this.estimatedStart = estimatedStart;
    }
}
