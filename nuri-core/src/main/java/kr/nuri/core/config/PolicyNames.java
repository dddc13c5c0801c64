package kr.nuri.core.config;

/**
 * The scheduling policies an engine uses, by the names {@code schedule/Policies} knows (which checks them and lists
 * the known ones when a name is not). The node-fit policy is {@link PlacementSettings#policy()}.
 *
 * @param queueOrder    the order a pass looks at a class's waiting jobs in: {@code fair-share} (default), {@code fifo},
 *                      {@code sjf}, {@code srtf}
 * @param admission     what a job must pass before placement: {@code quota} (award window and budget, then quota with
 *                      borrowing, Kueue-style)
 * @param gangPlacement where an all-or-nothing gang of whole GPUs goes: {@code topology} (the tightest domain)
 * @param preemption    which running jobs a waiting job may end: {@code priority} (lower classes; the default) or
 *                      {@code remaining-time} (also its own class's with more time left; the default under srtf)
 * @param backfill      how blocked jobs are protected from jobs behind them: {@code easy} (the top
 *                      {@code reservations} blocked jobs hold a reservation; later jobs backfill around it)
 */
public record PolicyNames(String queueOrder, String admission, String gangPlacement, String preemption, String backfill) {
    public static final PolicyNames DEFAULT = new PolicyNames(null, null, null, null, null);

    public PolicyNames {
        if (queueOrder == null) queueOrder = "fair-share";
        if (admission == null) admission = "quota";
        if (gangPlacement == null) gangPlacement = "topology";
        if (preemption == null) preemption = queueOrder.equals("srtf") ? "remaining-time" : "priority";
        if (backfill == null) backfill = "easy";
    }

    /** The same names with another queue order (and that order's default preemption, unless one was named otherwise). */
    public PolicyNames withQueueOrder(String order) {
        boolean derived = preemption.equals(queueOrder.equals("srtf") ? "remaining-time" : "priority");
        return new PolicyNames(order, admission, gangPlacement, derived ? null : preemption, backfill);
    }
}
