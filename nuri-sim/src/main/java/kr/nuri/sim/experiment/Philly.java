package kr.nuri.sim.experiment;

import kr.nuri.core.policy.QueueOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.schedule.Policies;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.trace.PhillyTrace;

/** How Philly jobs and clusters become engine input. */
final class Philly {
    static final String MODEL = "P100";
    static final int GPUS_PER_NODE = 8;
    /** One class: Philly jobs ran for up to weeks; walltime = the job's true duration (an oracle, see the note). */
    static final PriorityClass CLASS = new PriorityClass("philly", 100, EngineConfig.DAY, 400 * EngineConfig.DAY, false);
    /** The same class with preemptible jobs: they may borrow (philly-quota) or be preempted by shorter ones (srtf). */
    static final PriorityClass BORROWING = new PriorityClass("philly", 100, EngineConfig.DAY, 400 * EngineConfig.DAY, true);

    private Philly() { }

    /**
     * A cluster of 8-GPU nodes in one InfiniBand block, one project per VC with the given nominal quota; each
     * VC may borrow idle GPUs when {@code borrowing} (its jobs are then preemptible, which is what lets Nuri
     * reclaim them for the lender).
     */
    static EngineConfig cluster(String name, int nodes, Map<String, Integer> quotaGpus, boolean borrowing) {
        return cluster(name, nodes, quotaGpus, borrowing, borrowing ? BORROWING : CLASS, SchedulerSettings.DEFAULT);
    }

    /**
     * One VC's cluster for philly-vc under a policy: {@code nuri} is the engine's default; fifo, sjf and srtf are
     * the engine with that queue order and no reservations (list scheduling: every job that fits starts, as the
     * Philly studies' baselines do); under srtf jobs are preemptible, so a shorter one may preempt a longer one.
     */
    static EngineConfig vcCluster(String vc, int nodes, String policy) {
        Map<String, Integer> quota = Map.of(vc, nodes * GPUS_PER_NODE);
        if (policy.equals("nuri")) return cluster("philly-" + vc, nodes, quota, false);
        Policies.STANDARD.names(Policies.QUEUE_ORDER).stream().filter(policy::equals).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("policy '" + policy + "' is not known. Maybe nuri or one of "
                        + Policies.STANDARD.names(Policies.QUEUE_ORDER) + "?"));
        SchedulerSettings settings = SchedulerSettings.DEFAULT.withQueueOrder(policy).withReservations(0);
        return cluster("philly-" + vc, nodes, quota, false, policy.equals(QueueOrder.ShortestRemainingTimeFirst.NAME) ? BORROWING : CLASS, settings);
    }

    private static EngineConfig cluster(String name, int nodes, Map<String, Integer> quotaGpus, boolean borrowing, PriorityClass cls,
                                        SchedulerSettings settings) {
        var fleet = new FleetBuilder(name).site("philly").block("b0", MODEL, "philly").racks(nodes, 1, GPUS_PER_NODE).build();
        List<TenantSpec> tenants = new ArrayList<>();
        tenants.add(new TenantSpec("philly", null, 1, List.of()));
        for (var e : quotaGpus.entrySet()) {
            tenants.add(new TenantSpec(e.getKey(), "philly", 1, List.of(new QuotaSpec(MODEL, e.getValue(),
                    borrowing ? QuotaSpec.UNLIMITED : 0, QuotaSpec.UNLIMITED))));
        }
        return new EngineConfig(fleet, tenants, List.of(cls), List.of(), 7 * EngineConfig.DAY, settings, AssertionLevel.OFF);
    }

    /** A job as a submission: gangs over 8 GPUs split into members of the largest divisor ≤ 8. */
    static Arrival arrival(PhillyTrace.Job j, long epoch) {
        return arrival(j, epoch, 1);
    }

    /** The same, submitted at its offset from {@code epoch} divided by {@code speedup} (arrivals compressed, load raised). */
    static Arrival arrival(PhillyTrace.Job j, long epoch, double speedup) {
        int per = 1;
        for (int d = Math.min(GPUS_PER_NODE, j.gpus()); d >= 1; d--) {
            if (j.gpus() % d == 0) {
                per = d;
                break;
            }
        }
        JobSpec spec = JobSpec.builder("j" + j.row(), j.vc()).gang(j.gpus() / per, per).priorityClass(CLASS.name())
                .walltime(j.duration()).runtime(j.duration()).build();
        return new Arrival(Math.round((j.submit() - epoch) / speedup), spec);
    }
}
