package kr.nuri.core.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;

/**
 * Frees room for a blocked job by ending preemptible running jobs, when that is allowed:
 * <ul>
 *   <li><b>reclaim</b>: a job inside its project's own quota may end jobs that other projects run on
 *       borrowed quota (lent capacity goes back to its owner, as Kueue's {@code reclaimWithinCohort});</li>
 *   <li><b>priority</b>: a job may end preemptible jobs of lower priority classes.</li>
 * </ul>
 * Victims are taken cheapest first (lowest priority, then least work lost) until the job both fits its
 * topology and passes its quota check; then every victim whose return still leaves it feasible is spared,
 * so the set is minimal. All of this is tried on the capacity and quota indexes and undone; only the final
 * decision is emitted as events.
 */
final class Preemptor {
    private final State state;
    private final Placer placer;
    private final int maxVictims;

    Preemptor(State state, Placer placer, int maxVictims) {
        this.state = state;
        this.placer = placer;
        this.maxVictims = maxVictims;
    }

    private boolean reclaimable(Job job, int m) {
        return !state.running().borrowed(m).isEmpty() && state.quota().withinOwnQuota(job.project(), m, job.totalGpus());
    }

    /** Whether any running job could ever be a victim. */
    boolean anyCandidates() {
        for (int m = 0; m < state.fleet().modelCount(); m++) {
            if (!state.running().preemptible(m).isEmpty()) return true;
        }
        return false;
    }

    /** Ends victims so that {@code job} can start; returns whether it did. */
    boolean preemptFor(Job job, long now, boolean mayUseReserved, Consumer<Event> emit) {
        QuotaBook quota = state.quota();
        for (int m : job.allowedModels()) {
            if (state.running().preemptible(m).isEmpty()) continue;
            if (!reclaimable(job, m) && state.running().preemptible(m).first().priority() >= job.priority()) continue;
            boolean reclaim = quota.withinOwnQuota(job.project(), m, job.totalGpus());
            List<Job> victims = new ArrayList<>();
            boolean feasible = false;
            try {
                feasible = collect(job, m, state.running().preemptible(m), victims, true, mayUseReserved)
                        || (reclaim && collect(job, m, state.running().borrowed(m), victims, false, mayUseReserved));
                if (feasible) {
                    for (int i = victims.size() - 2; i >= 0; i--) {
                        Job v = victims.get(i);
                        restore(v);
                        if (feasible(job, m, mayUseReserved)) {
                            victims.remove(i);
                        } else {
                            lift(v);
                        }
                    }
                }
            } finally {
                for (Job v : victims) restore(v);
            }
            if (feasible) {
                for (Job v : victims) {
                    emit.accept(new Event.JobEnded(now, v.id(), Outcome.PREEMPTED, now, v.spec().requeue(),
                            "preempted by " + job.id()));
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Lifts candidates in cost order until the job is feasible: by priority (lower classes only; the set is
     * sorted by priority, so the scan stops at the first that is not lower), or by reclaim (borrowed jobs
     * of other projects).
     */
    private boolean collect(Job job, int m, Iterable<Job> candidates, List<Job> victims, boolean byPriority,
                            boolean mayUseReserved) {
        for (Job v : candidates) {
            if (victims.size() >= maxVictims) return false;
            if (byPriority && v.priority() >= job.priority()) return false;
            if (!byPriority && (v.project() == job.project() || victims.contains(v))) continue;
            lift(v);
            victims.add(v);
            if (feasible(job, m, mayUseReserved)) return true;
        }
        return false;
    }

    private boolean feasible(Job job, int m, boolean mayUseReserved) {
        QuotaBook quota = state.quota();
        int total = job.totalGpus();
        if (quota.available(job.project(), m) < total) return false;
        if (!job.preemptible() && !quota.withinOwnQuota(job.project(), m, total)) return false;
        return placer.place(m, job.spec().members(), job.spec().gpusPerMember(), job.spec().level(),
                job.spec().levelRequired(), mayUseReserved) != null;
    }

    private void lift(Job v) {
        Capacity c = state.capacity();
        for (int i = 0; i < v.nodes().length; i++) c.release(v.nodes()[i], v.gpus()[i]);
        state.quota().addUsage(v.project(), v.model(), -v.totalGpus());
    }

    private void restore(Job v) {
        Capacity c = state.capacity();
        for (int i = 0; i < v.nodes().length; i++) c.take(v.nodes()[i], v.gpus()[i]);
        state.quota().addUsage(v.project(), v.model(), v.totalGpus());
    }
}
