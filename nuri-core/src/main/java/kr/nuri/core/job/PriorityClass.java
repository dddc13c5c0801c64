package kr.nuri.core.job;

/**
 * A priority class such as inference &gt; training &gt; scavenger. Higher {@code priority} goes first and
 * may preempt preemptible jobs of lower classes.
 *
 * @param defaultWalltime seconds given to jobs that state none
 * @param maxWalltime     the longest walltime a job of this class may ask for
 * @param preemptible     whether jobs of this class are preemptible unless they say otherwise
 */
public record PriorityClass(String name, int priority, long defaultWalltime, long maxWalltime, boolean preemptible) {
    public PriorityClass {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("priority class name is empty");
        if (defaultWalltime <= 0) {
            throw new IllegalArgumentException("priority class '" + name + "' defaultWalltime=" + defaultWalltime + ". Maybe a positive number of seconds?");
        }
        if (maxWalltime < defaultWalltime) {
            throw new IllegalArgumentException("priority class '" + name + "' maxWalltime=" + maxWalltime
                    + " is below defaultWalltime=" + defaultWalltime);
        }
    }
}
