package kr.nuri.core.schedule;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.Reservation;
import kr.nuri.core.state.State;

/**
 * Finds the earliest time a blocked gang can start, and the concrete nodes it will start on.
 *
 * <p>Running jobs release their GPUs at their walltime deadline at the latest, so the planner releases them
 * in deadline order on the capacity index itself, checking after each release only the domains that just
 * gained GPUs, until the gang fits; it then asks the {@link GangPlacement} for the nodes and undoes every release.
 * This is the "shadow time" of EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995),
 * computed in a concrete domain so that backfill can be checked node by node. Nodes already reserved for
 * another job stay unavailable.
 */
final class ReservationPlanner {
    private final State state;
    private final GangPlacement placer;
    private final Fleet fleet;

    ReservationPlanner(State state, GangPlacement placer) {
        this.state = state;
        this.placer = placer;
        this.fleet = state.fleet();
    }

    /** The earliest reservation for a job, ignoring the one it may already hold; null if none is found. */
    Reservation plan(Job job, long now) {
        boolean verify = state.config().assertions() == kr.nuri.core.config.AssertionLevel.FULL;
        long fingerprint = verify ? state.indexFingerprint() : 0;
        Reservation plan = planLeavingIndexes(job, now);
        if (verify && state.indexFingerprint() != fingerprint) {
            throw new IllegalStateException("planning a reservation for job " + job.id() + " left the capacity or quota indexes changed");
        }
        return plan;
    }

    private Reservation planLeavingIndexes(Job job, long now) {
        Capacity capacity = state.capacity();
        Reservation own = state.reservations().get(job.id());
        if (own != null) for (int n : own.nodes()) capacity.setReserved(n, false);
        try {
            Reservation best = null;
            for (int m : job.allowedPools()) {
                Reservation r = planModel(job, m, now, best == null ? Long.MAX_VALUE : best.start());
                if (r != null && (best == null || r.start() < best.start())) best = r;
            }
            return best;
        } finally {
            if (own != null) for (int n : own.nodes()) capacity.setReserved(n, true);
        }
    }

    private Reservation planModel(Job job, int m, long now, long mustBeat) {
        Capacity capacity = state.capacity();
        int members = job.spec().members();
        int g = job.spec().gpusPerMember();
        Level level = job.spec().level();
        boolean required = job.spec().levelRequired();
        Level checkLevel = required ? level : Level.FLEET;
        if (level == Level.NODE) {
            g = members * g;
            members = 1;
        }
        if (capacity.members(Level.FLEET, m, g, false) >= members) {
            Placement p = placer.place(m, job.spec().members(), job.spec().gpusPerMember(), level, required, false);
            if (p != null) return new Reservation(job.id(), now, m, p.nodes());
        }
        List<Job> released = new ArrayList<>();
        try {
            for (Job v : state.running().byDeadline()) {
                long t = Math.max(now, v.deadline());
                if (t >= mustBeat) return null;
                if (v.pool() != m) continue;
                for (int i = 0; i < v.nodes().length; i++) capacity.release(v.nodes()[i], v.gpus()[i]);
                released.add(v);
                if (fitsNear(v, checkLevel, m, members, g)) {
                    Placement p = placer.place(m, job.spec().members(), job.spec().gpusPerMember(), level, required, false);
                    if (p != null) return new Reservation(job.id(), t, m, p.nodes());
                }
            }
            return null;
        } finally {
            for (int j = released.size() - 1; j >= 0; j--) {
                Job v = released.get(j);
                for (int i = 0; i < v.nodes().length; i++) capacity.take(v.nodes()[i], v.gpus()[i]);
            }
        }
    }

    /** Whether a domain that just gained the released job's GPUs now holds the gang. */
    private boolean fitsNear(Job released, Level level, int m, int members, int g) {
        Capacity capacity = state.capacity();
        if (level == Level.FLEET) return capacity.members(Level.FLEET, m, g, false) >= members;
        for (int n : released.nodes()) {
            if (level == Level.NODE) {
                if (!capacity.reserved(n) && capacity.usable(n) >= g) return true;
                continue;
            }
            if (capacity.members(level, fleet.domainOf(level, n), g, false) >= members) return true;
        }
        return false;
    }
}
