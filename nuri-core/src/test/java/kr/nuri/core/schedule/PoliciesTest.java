package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.policy.Preemption;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.schedule.fit.NodeFit;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/** The policy registry: every kind knows its names, refuses others naming the field, and takes a new policy in one line. */
class PoliciesTest {

    @Test
    void everyKindListsItsPolicies() {
        Policies p = Policies.STANDARD;
        assertThat(p.names(Policies.QUEUE_ORDER)).containsExactly("fair-share", "fifo", "sjf", "srtf");
        assertThat(p.names(Policies.NODE_FIT)).containsExactly("random", "dotprod", "clustering", "packing", "bestfit", "fgd", "nuri");
        assertThat(p.names(Policies.PREEMPTION)).containsExactly("priority", "remaining-time");
        assertThat(p.names(Policies.ADMISSION)).containsExactly("quota");
        assertThat(p.names(Policies.GANG_PLACEMENT)).containsExactly("topology");
        assertThat(p.names(Policies.BACKFILL)).containsExactly("easy");
    }

    @Test
    void anUnknownNameIsRefusedWithTheFieldAndTheKnownNames() {
        record Case(PolicyNames names, String field, String value, String known) { }
        for (Case c : List.of(
                new Case(new PolicyNames("lifo", null, null, null, null), "scheduler.queueOrder", "lifo", "sjf"),
                new Case(new PolicyNames(null, "first-come", null, null, null), "scheduler.admission", "first-come", "quota"),
                new Case(new PolicyNames(null, null, "anywhere", null, null), "scheduler.gangPlacement", "anywhere", "topology"),
                new Case(new PolicyNames(null, null, null, "everyone", null), "scheduler.preemptionPolicy", "everyone", "remaining-time"),
                new Case(new PolicyNames(null, null, null, null, "conservative"), "scheduler.backfill", "conservative", "easy"))) {
            EngineConfig config = EngineConfig.of(World.smallFleet(), World.tenants()).withScheduler(SchedulerSettings.DEFAULT.withPolicies(c.names()));
            assertThatThrownBy(() -> new Engine(config)).as(c.field())
                    .isInstanceOf(Policies.UnknownPolicy.class)
                    .hasMessageContaining(c.field()).hasMessageContaining("'" + c.value() + "'").hasMessageContaining(c.known());
        }
    }

    /** A node-fit policy of one's own: the node with the most GPUs left (worst fit). */
    static final class WorstGpuFit extends NodeFit {
        WorstGpuFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override protected double score(int n, kr.nuri.core.job.JobSpec spec) { return capacity.gpuMilliLeft(n); }

        @Override protected boolean largerIsBetter() { return true; }
    }

    @Test
    void aNewNodeFitPolicyIsOneClassAndOneLine() {
        Policies mine = Policies.STANDARD.with(Policies.NODE_FIT, "worstfit", c -> new WorstGpuFit(c.state().capacity(), c.state().fleet()));
        Fleet fleet = new FleetBuilder("t").site("s").block("b", "T4", "o").rack("r").node("n0", 4, 0, 0).node("n1", 4, 0, 0).build();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()),
                new TenantSpec("p", "all", 1, List.of(new QuotaSpec("T4", 8, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))));
        EngineConfig config = EngineConfig.of(fleet, tenants).withScheduler(SchedulerSettings.DEFAULT.withReservations(0)
                .withPlacement(new PlacementSettings("worstfit", 0, List.of())));
        assertThatThrownBy(() -> new Engine(config)).as("the standard registry does not know it").hasMessageContaining("worstfit");
        Engine engine = new Engine(config, mine);
        for (int i = 0; i < 4; i++) engine.apply(new Command.SubmitJob(0, JobSpec.builder("s" + i, "p").share(500).build()));
        // Best fit ("nuri") would pack all four shares onto n0's first GPUs; worst fit spreads them over both nodes.
        assertThat(engine.state().jobs().stream().filter(j -> j.state() == JobState.RUNNING).map(j -> j.nodes()[0]).distinct().count())
                .isEqualTo(2);
    }

    /** A queue order of one's own: the largest gang first. */
    static final class LargestFirst implements QueueOrder {
        @Override public String name() { return "largest-first"; }
        @Override public boolean global() { return true; }
        @Override public long key(Job job) { return -job.totalGpus(); }
    }

    @Test
    void aNewQueueOrderIsOneClassAndOneLine() {
        Policies mine = Policies.STANDARD.with(Policies.QUEUE_ORDER, "largest-first", c -> new LargestFirst());
        Fleet fleet = new FleetBuilder("t").site("s").block("b", "H100", "o").rack("r").node("n0", 8, 0, 0).build();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()),
                new TenantSpec("p", "all", 1, List.of(new QuotaSpec("H100", 8, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))));
        for (String order : List.of("fifo", "largest-first")) {
            EngineConfig config = EngineConfig.of(fleet, tenants).withScheduler(SchedulerSettings.DEFAULT.withQueueOrder(order).withReservations(0));
            World w = new World(config, mine);
            w.submit(JobSpec.builder("fill", "p").gpus(8).walltime(3600).build());
            w.submit(JobSpec.builder("small", "p").gpus(1).walltime(3600).build());
            w.submit(JobSpec.builder("big", "p").gpus(8).walltime(3600).build());
            w.at(100).finish("fill");
            String first = order.equals("fifo") ? "small" : "big";
            assertThat(w.job(first).state()).as(order + " starts " + first + " first").isEqualTo(JobState.RUNNING);
        }
    }

    /** A preemption policy of one's own: nothing is ever preempted, even for a higher class. */
    static final class NeverPreempt implements Preemption {
        @Override public String name() { return "never"; }
        @Override public int victimBound(int priority) { return Integer.MIN_VALUE; }
        @Override public boolean mayEnd(Job victim, Job waiting, long now) { return false; }
        @Override public boolean scanEnds(Job victim, Job waiting) { return true; }
        @Override public boolean memoizable() { return true; }
    }

    @Test
    void aNewPreemptionPolicyIsOneClassAndOneLine() {
        Policies mine = Policies.STANDARD.with(Policies.PREEMPTION, "never", c -> new NeverPreempt());
        Fleet fleet = new FleetBuilder("t").site("s").block("b", "H100", "o").rack("r").node("n0", 8, 0, 0).build();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()),
                new TenantSpec("p", "all", 1, List.of(new QuotaSpec("H100", 16, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))));
        for (String policy : List.of("priority", "never")) {
            EngineConfig config = EngineConfig.of(fleet, tenants)
                    .withScheduler(SchedulerSettings.DEFAULT.withPolicies(new PolicyNames(null, null, null, policy, null)));
            World w = new World(config, mine);
            w.submit(JobSpec.builder("low", "p").gpus(8).priorityClass("scavenger").preemptible(true).walltime(3600).build());
            w.submit(JobSpec.builder("high", "p").gpus(8).priorityClass("inference").walltime(3600).build());
            boolean standard = policy.equals("priority");
            assertThat(w.job("high").state()).as(policy).isEqualTo(standard ? JobState.RUNNING : JobState.PENDING);
            assertThat(w.job("low").state()).as(policy).isEqualTo(standard ? JobState.PENDING : JobState.RUNNING);
        }
    }
}
