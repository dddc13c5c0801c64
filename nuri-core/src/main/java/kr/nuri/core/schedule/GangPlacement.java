package kr.nuri.core.schedule;

import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.PendingReason;

/**
 * A gang placement: where an all-or-nothing gang of whole GPUs goes (M members × g GPUs, each member on one node, in
 * one domain of its topology level). Named in a fleet file as {@code scheduler: {gangPlacement: NAME}} and made by
 * {@link Policies}. The reservation planner and the preemption search ask it too, so a plan and a search agree with
 * what a start would do.
 */
public interface GangPlacement {
    /** What {@link #place} returns when asked only whether the gang fits: no nodes are chosen. */
    Placement FITS = new Placement(-1, new int[0], new int[0]);

    /**
     * The nodes for {@code members} × {@code g} GPUs of {@code model} in one domain of {@code level} (with
     * {@code required == false} the level is only preferred, wider ones are tried after it), or null (see
     * {@link #lastFailure()}); reserved nodes only with {@code includeReserved}. With {@code choose == false} only
     * whether it would place the gang: {@link #FITS} or null.
     */
    Placement place(int model, int members, int g, Level level, boolean required, boolean includeReserved, boolean choose);

    /** {@link #place} choosing the nodes. */
    default Placement place(int model, int members, int g, Level level, boolean required, boolean includeReserved) {
        return place(model, members, g, level, required, includeReserved, true);
    }

    /** Why the last {@link #place} returned null: {@link PendingReason#INSUFFICIENT_CAPACITY} or {@link PendingReason#NO_TOPOLOGY_DOMAIN}. */
    PendingReason lastFailure();
}
