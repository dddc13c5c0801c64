package kr.nuri.core.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.state.Reservation;
import kr.nuri.core.state.State;

/**
 * {@code easy}: EASY backfilling generalised to N reservations (Lifka, "The ANL/IBM SP scheduling system", 1995;
 * Mu'alem and Feitelson, 2001): the first {@code reservations} jobs blocked for lack of GPUs each hold a reservation
 * in a concrete domain at their earliest start ({@link ReservationPlanner}); a job behind them may use reserved nodes
 * only if it ends (by walltime) before the earliest reservation starts. With 0 reservations, list scheduling: every
 * job that fits starts.
 */
public final class EasyBackfill implements Backfill {
    private final State state;
    private final int reservations;
    private final QueueOrder order;
    private final ReservationPlanner planner;

    public EasyBackfill(State state, GangPlacement placement, QueueOrder order) {
        this.state = state;
        this.reservations = state.config().scheduler().reservations();
        this.order = order;
        this.planner = new ReservationPlanner(state, placement);
    }

    @Override
    public int reservations() { return reservations; }

    @Override
    public boolean mayUseReserved(Job job, long now) {
        return state.reservations().containsKey(job.id()) || now + job.walltime() <= state.earliestReservationStart(job.id());
    }

    @Override
    public void reserve(Job job, long now, boolean full, Set<String> confirmed, Consumer<Event> emit, Verdicts verdicts) {
        Reservation held = state.reservations().get(job.id());
        if (held == null) {
            // Only the top jobs hold reservations: take the slot of a holder this job ranks ahead of (a full
            // pass has seen every job, so any holder it did not confirm ranks behind). Release it first, so
            // that its nodes count for this job's plan.
            for (String holder : List.copyOf(state.reservations().keySet())) {
                if (state.reservations().size() < reservations) break;
                if (!confirmed.contains(holder) && (full || ranksAhead(job, state.job(holder), now))) {
                    emit.accept(new Event.ReservationReleased(now, holder));
                }
            }
            if (state.reservations().size() >= reservations) return;
        }
        Reservation plan = held != null && held.start() >= now && !full ? held : planner.plan(job, now);
        if (plan == null) {
            if (held != null) emit.accept(new Event.ReservationReleased(now, job.id()));
            verdicts.set(job, verdicts.reason(job), verdicts.detail(job) + "; no start found within the running jobs' walltimes", -1);
            return;
        }
        if (held == null || held.start() != plan.start() || !Arrays.equals(held.nodes(), plan.nodes())) {
            emit.accept(new Event.ReservationMade(now, job.id(), plan.start(), plan.model(), plan.nodes()));
        }
        confirmed.add(job.id());
        verdicts.set(job, PendingReason.RESERVED, plan.nodes().length + " nodes of " + state.fleet().pools().get(plan.model())
                + " reserved from t=" + plan.start() + " (was: " + verdicts.detail(job) + ")", plan.start());
    }

    @Override
    public void endFullPass(long now, Set<String> confirmed, Consumer<Event> emit) {
        for (String holder : List.copyOf(state.reservations().keySet())) {
            if (!confirmed.contains(holder)) emit.accept(new Event.ReservationReleased(now, holder));
        }
    }

    /** The pass order: higher class, then the queue order (fair share, or the global order's key), then earlier submission. */
    private boolean ranksAhead(Job a, Job b, long now) {
        if (a.priority() != b.priority()) return a.priority() > b.priority();
        if (order.global()) {
            long ka = order.key(a);
            long kb = order.key(b);
            return ka != kb ? ka < kb : a.seq() < b.seq();
        }
        if (a.project() != b.project()) {
            double ka = state.fairShare().key(a.project(), now);
            double kb = state.fairShare().key(b.project(), now);
            if (ka != kb) return ka < kb;
            return a.project() < b.project();
        }
        return a.seq() < b.seq();
    }
}
