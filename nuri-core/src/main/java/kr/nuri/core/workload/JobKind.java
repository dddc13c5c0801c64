package kr.nuri.core.workload;

import java.util.Set;

/**
 * A kind of job in a {@link MixProfile}: its share of jobs, its size (a power of two from {@code minGpus} to
 * {@code maxGpus}), its runtime range (log-uniform, seconds), its priority class, how many of its jobs are preemptible,
 * and whether it may move to GPU models a what-if gains (portable).
 *
 * @param minQuota       the smallest quota (GPUs) a project needs for this kind; a smaller one draws the next kind
 * @param excludedModels GPU models this kind never runs on (the next kind is drawn instead)
 * @param modelPrefix    when set, every job on a model of this prefix is of this kind (its share is not used)
 */
public record JobKind(String name, double share, int minGpus, int maxGpus, long minRuntime, long maxRuntime, String priorityClass,
                      double preemptibleShare, boolean portable, int minQuota, Set<String> excludedModels, String modelPrefix) {

    public JobKind {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a job kind needs a name");
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException(name + ": share " + share + " is outside [0, 1]");
        if (minGpus < 1 || Integer.bitCount(minGpus) != 1 || maxGpus < minGpus || Integer.bitCount(maxGpus) != 1) {
            throw new IllegalArgumentException(name + ": GPUs " + minGpus + ".." + maxGpus + " must be powers of two, the first at most the second");
        }
        if (minRuntime < 1 || maxRuntime < minRuntime) throw new IllegalArgumentException(name + ": runtime " + minRuntime + ".." + maxRuntime + " s is not a range");
        if (!(preemptibleShare >= 0 && preemptibleShare <= 1)) throw new IllegalArgumentException(name + ": preemptible share " + preemptibleShare + " is outside [0, 1]");
        excludedModels = Set.copyOf(excludedModels);
    }

    /** A kind of {@code share} of jobs, on any model and quota. */
    public static JobKind of(String name, double share, int minGpus, int maxGpus, long minRuntime, long maxRuntime, String priorityClass,
                             boolean portable) {
        return new JobKind(name, share, minGpus, maxGpus, minRuntime, maxRuntime, priorityClass, 0, portable, 1, Set.of(), null);
    }

    public JobKind preemptible(double share) {
        return new JobKind(name, this.share, minGpus, maxGpus, minRuntime, maxRuntime, priorityClass, share, portable, minQuota, excludedModels, modelPrefix);
    }

    public JobKind needing(int quota, Set<String> notOn) {
        return new JobKind(name, share, minGpus, maxGpus, minRuntime, maxRuntime, priorityClass, preemptibleShare, portable, quota, notOn, modelPrefix);
    }

    public JobKind onModels(String prefix) {
        return new JobKind(name, share, minGpus, maxGpus, minRuntime, maxRuntime, priorityClass, preemptibleShare, portable, minQuota, excludedModels, prefix);
    }
}
