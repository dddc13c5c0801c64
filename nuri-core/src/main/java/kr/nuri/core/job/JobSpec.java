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
 */
public record JobSpec(String id, String project, String user, String award, int members, int gpusPerMember,
                      List<String> models, Level level, boolean levelRequired, String priorityClass,
                      long walltime, Boolean preemptible, boolean requeue, long runtime) {

    public JobSpec {
        models = models == null ? List.of() : List.copyOf(models);
        level = level == null ? Level.FLEET : level;
    }

    public long totalGpus() {
        return (long) members * gpusPerMember;
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

        public JobSpec build() {
            return new JobSpec(id, project, user, award, members, gpusPerMember, models, level, required,
                    priorityClass, walltime, preemptible, requeue, runtime);
        }
    }
}
