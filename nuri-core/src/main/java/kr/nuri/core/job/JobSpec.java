package kr.nuri.core.job;

import java.util.List;
import kr.nuri.core.fleet.Level;

/**
 * What a user asks for: a gang of {@code members} × {@code gpusPerMember} GPUs (each member on one node),
 * of one of the allowed GPU models (empty = any), inside one topology domain of {@code level} (required,
 * or only preferred), in a priority class, charged to a project and optionally to an award.
 *
 * @param walltime   seconds the job may hold its GPUs; 0 takes the class default. Backfill relies on it.
 * @param runtime    seconds the job will actually run when execution is virtual (simulator, benchmark);
 *                   0 = unknown, the job runs until told it finished or its walltime ends.
 * @param requeue    whether a job ended by a node failure or preemption goes back to the queue (keeping
 *                   its place) rather than failing.
 * @param gpuMilli   thousandths of one GPU: 1 to 999 asks for a share of one GPU (GPU sharing, as the openb
 *                   trace's {@code gpu_milli}; {@code gpusPerMember} must then be 1); 0 or 1000 = whole GPUs
 * @param cpuMilli   CPU per member in thousandths of a core; 0 = none asked (checked only on nodes that model CPU)
 * @param memoryMib  memory per member in MiB; 0 = none asked
 * @param name       what the submitter calls the job (Slurm's {@code --job-name}): free, not unique; null = none
 * @param submitKey  a key the submitter chose so that a retried submission does not run the job twice (HTTP's
 *                   {@code Idempotency-Key}): unique per user; null = none
 * @param launch     what a site's cluster manager runs (script, directory, environment, output); null = nothing (a virtual
 *                   site's job, ended by its runtime or by a client)
 *
 * <p>A job with a share, CPU or memory, or no GPUs (a CPU-only task), is a <em>node-fit</em> job: one member,
 * placed node by node by the fleet's node placement policy (see {@code schedule/NodePlacement}); the other jobs
 * are gangs placed by topology. Quota, fair share and awards count a share as one GPU.
 */
public record JobSpec(String id, String project, String user, String award, int members, int gpusPerMember,
                      List<String> models, Level level, boolean levelRequired, String priorityClass,
                      long walltime, Boolean preemptible, boolean requeue, long runtime,
                      int gpuMilli, int cpuMilli, long memoryMib, String name, String submitKey, Launch launch) {
    /** Thousandths in a whole GPU. */
    public static final int WHOLE_GPU = 1000;

    public JobSpec {
        models = models == null ? List.of() : List.copyOf(models);
        level = level == null ? Level.FLEET : level;
        if (gpuMilli == WHOLE_GPU) gpuMilli = 0;
    }

    /** A job without a launch (nothing for a cluster manager to run). */
    public JobSpec(String id, String project, String user, String award, int members, int gpusPerMember,
                   List<String> models, Level level, boolean levelRequired, String priorityClass,
                   long walltime, Boolean preemptible, boolean requeue, long runtime,
                   int gpuMilli, int cpuMilli, long memoryMib, String name, String submitKey) {
        this(id, project, user, award, members, gpusPerMember, models, level, levelRequired, priorityClass, walltime,
                preemptible, requeue, runtime, gpuMilli, cpuMilli, memoryMib, name, submitKey, null);
    }

    /** A gang of whole GPUs (no share, CPU or memory asked). */
    public JobSpec(String id, String project, String user, String award, int members, int gpusPerMember,
                   List<String> models, Level level, boolean levelRequired, String priorityClass,
                   long walltime, Boolean preemptible, boolean requeue, long runtime) {
        this(id, project, user, award, members, gpusPerMember, models, level, levelRequired, priorityClass, walltime,
                preemptible, requeue, runtime, 0, 0, 0, null, null, null);
    }

    public long totalGpus() {
        return (long) members * gpusPerMember;
    }

    /** Whether it asks for a share of one GPU (1 to 999 thousandths). */
    public boolean sharing() {
        return gpuMilli > 0 && gpuMilli < WHOLE_GPU;
    }

    /** Thousandths of a GPU each member takes from one GPU: the share, or 1000 per whole GPU. */
    public long gpuMilliPerMember() {
        return sharing() ? gpuMilli : (long) gpusPerMember * WHOLE_GPU;
    }

    /** Whether it is placed node by node (a share, CPU or memory asked, or no GPU) rather than as a topology gang. */
    public boolean nodeFit() {
        return sharing() || cpuMilli > 0 || memoryMib > 0 || gpusPerMember == 0;
    }

    /** A builder with sensible defaults, for tests and generators. */
    public static Builder builder(String id, String project) {
        return new Builder(id, project);
    }

    /** Fluent construction of a {@link JobSpec}. */
    public static final class Builder {
        private final String id;
        private final String project;
        private String user = "user";
        private String award;
        private int members = 1;
        private int gpusPerMember = 1;
        private List<String> models = List.of();
        private Level level = Level.FLEET;
        private boolean required = true;
        private String priorityClass = "training";
        private long walltime;
        private Boolean preemptible;
        private boolean requeue = true;
        private long runtime;
        private int gpuMilli;
        private int cpuMilli;
        private long memoryMib;
        private String name;
        private String submitKey;
        private Launch launch;

        private Builder(String id, String project) {
            this.id = id;
            this.project = project;
        }

        public Builder user(String v) { user = v; return this; }
        public Builder award(String v) { award = v; return this; }
        public Builder gang(int members, int gpusPerMember) { this.members = members; this.gpusPerMember = gpusPerMember; return this; }
        public Builder gpus(int gpus) { return gang(1, gpus); }
        public Builder models(String... v) { models = List.of(v); return this; }
        public Builder within(Level v) { level = v; required = true; return this; }
        public Builder prefer(Level v) { level = v; required = false; return this; }
        public Builder priorityClass(String v) { priorityClass = v; return this; }
        public Builder walltime(long v) { walltime = v; return this; }
        public Builder preemptible(boolean v) { preemptible = v; return this; }
        public Builder requeue(boolean v) { requeue = v; return this; }
        public Builder runtime(long v) { runtime = v; return this; }
        /** A share of one GPU, in thousandths (one member, one GPU). */
        public Builder share(int milli) { members = 1; gpusPerMember = 1; gpuMilli = milli; return this; }
        public Builder cpuMilli(int v) { cpuMilli = v; return this; }
        public Builder memoryMib(long v) { memoryMib = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder submitKey(String v) { submitKey = v; return this; }
        public Builder launch(Launch v) { launch = v; return this; }

        public JobSpec build() {
            return new JobSpec(id, project, user, award, members, gpusPerMember, models, level, required,
                    priorityClass, walltime, preemptible, requeue, runtime, gpuMilli, cpuMilli, memoryMib, name, submitKey, launch);
        }
    }
}
