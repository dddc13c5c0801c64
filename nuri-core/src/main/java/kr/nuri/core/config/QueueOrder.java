package kr.nuri.core.config;

import java.util.Arrays;
import java.util.List;

/**
 * The order in which a scheduling pass looks at waiting jobs. Every order puts higher priority classes first;
 * they differ within a class. Named in a fleet file as {@code scheduler: {queueOrder: sjf}}.
 */
public enum QueueOrder {
    /**
     * Nuri's default: the project with the least decayed usage per fair-share weight first, then, within a
     * project, smaller gangs before larger ones and earlier submissions first.
     */
    FAIR_SHARE("fair-share"),
    /** First come, first served across projects: the earlier submission first. */
    FIFO("fifo"),
    /**
     * Shortest job first: the shorter walltime first (the user's estimate; exact when walltimes are true
     * durations, as in the literature's oracle SJF), then the earlier submission.
     */
    SJF("sjf"),
    /**
     * Shortest remaining time first: the least walltime left (walltime less the time already run) first; and
     * a waiting job may preempt a preemptible running job of its own class with more time left than it needs.
     */
    SRTF("srtf");

    private final String label;

    QueueOrder(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** Whether the order ranks all of a class's waiting jobs on one key, across projects. */
    public boolean global() { return this != FAIR_SHARE; }

    public static List<String> labels() {
        return Arrays.stream(values()).map(QueueOrder::label).toList();
    }

    /** The order of a name, e.g. "sjf"; a clear error listing the names otherwise. */
    public static QueueOrder named(String name) {
        for (QueueOrder o : values()) {
            if (o.label.equals(name)) return o;
        }
        throw new IllegalArgumentException("queue order '" + name + "' is not known. Maybe one of " + labels() + "?");
    }
}
