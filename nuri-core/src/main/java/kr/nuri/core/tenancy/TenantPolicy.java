package kr.nuri.core.tenancy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a tenant's jobs may ask for, set on any node of the quota tree and inherited down it: a field left null takes
 * the parent's (the root's null: no rule). Slurm's analogue is an association's allowed QOS with their MaxWall.
 *
 * @param awardRequired       jobs must charge an active award with budget left: the one they name, or else the one
 *                            active award with budget left that covers their project
 * @param unawardedScavengers with {@code awardRequired}: a preemptible job that charges no award may still run (on
 *                            what is idle, preempted first); false refuses it too
 * @param classes             the priority classes its jobs may use, each with the longest walltime in seconds (0 = the
 *                            class's own longest)
 */
public record TenantPolicy(Boolean awardRequired, Boolean unawardedScavengers, SortedMap<String, Long> classes) {
    /** No rule of its own: everything inherited. */
    public static final TenantPolicy INHERIT = new TenantPolicy(null, null, null);

    public TenantPolicy {
        classes = classes == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(classes));
    }

    public static TenantPolicy of(Boolean awardRequired, Boolean unawardedScavengers, Map<String, Long> classes) {
        return new TenantPolicy(awardRequired, unawardedScavengers, classes == null ? null : new TreeMap<>(classes));
    }

    /** This policy with the parent's filling what it leaves open. */
    public TenantPolicy under(TenantPolicy parent) {
        return new TenantPolicy(awardRequired != null ? awardRequired : parent.awardRequired,
                unawardedScavengers != null ? unawardedScavengers : parent.unawardedScavengers,
                classes != null ? classes : parent.classes);
    }

    public boolean requiresAward() {
        return Boolean.TRUE.equals(awardRequired);
    }

    public boolean allowsUnawardedScavengers() {
        return Boolean.TRUE.equals(unawardedScavengers);
    }

    /** Whether jobs may use class {@code name}. */
    public boolean allows(String name) {
        return classes == null || classes.containsKey(name);
    }

    /** The longest walltime this policy allows in class {@code name}, or 0 when it sets none. */
    public long maxWalltime(String name) {
        return classes == null ? 0 : classes.getOrDefault(name, 0L);
    }

    /** What it sets, as the audit trail shows it ("inherits all" when nothing): hours for walltimes, "class max" for 0. */
    public String text() {
        List<String> parts = new ArrayList<>();
        if (awardRequired != null) parts.add("awardRequired=" + awardRequired);
        if (unawardedScavengers != null) parts.add("unawardedScavengers=" + unawardedScavengers);
        if (classes != null) {
            List<String> cs = new ArrayList<>();
            classes.forEach((c, w) -> cs.add(c + "=" + (w == 0 ? "class max" : w / 3600.0 + "h")));
            parts.add("classes=" + cs);
        }
        return parts.isEmpty() ? "inherits all" : String.join(" ", parts);
    }

    /** The class a job that wants {@code wanted} runs in under this policy: it, else the first allowed of {@code fallbacks}, else null. */
    public String classFor(String wanted, String... fallbacks) {
        if (allows(wanted)) return wanted;
        for (String f : fallbacks) if (allows(f)) return f;
        return null;
    }

    /** {@code walltime} cut to this policy's longest for class {@code name}, when it sets one. */
    public long capWalltime(String name, long walltime) {
        long cap = maxWalltime(name);
        return cap > 0 ? Math.min(cap, walltime) : walltime;
    }
}
