package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.nuri.core.World;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/** A preemptible job is not backfilled where a waiting job of a higher class would preempt it. */
class YieldRuleTest {
    private static final long EXEMPT = 600;

    /**
     * Three nodes of 8 H100, all p's; two jobs of 4 GPUs hold half of n0 and n1, so a gang of two whole nodes waits
     * (only n2 is whole) though 16 GPUs are free. No reservations: only the yield rule protects the gang.
     */
    private static World world(boolean preemption) {
        Fleet fleet = new FleetBuilder("t").site("s").block("b", "H100", "o").rack("r").node("n0", 8, 0, 0).node("n1", 8, 0, 0)
                .node("n2", 8, 0, 0).build();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()),
                new TenantSpec("p", "all", 1, List.of(new QuotaSpec("H100", 24, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))));
        return new World(EngineConfig.of(fleet, tenants).withScheduler(new SchedulerSettings(0, 64, preemption, 512, EXEMPT)));
    }

    private static void holders(World w) {
        // Best fit packs: a pad fills n0 beside holder-0, so holder-1 goes to n1; then the pad ends.
        w.submit(JobSpec.builder("holder-0", "p").gpus(4).priorityClass("training").walltime(7200).build());
        w.submit(JobSpec.builder("pad", "p").gpus(4).priorityClass("training").walltime(7200).build());
        w.submit(JobSpec.builder("holder-1", "p").gpus(4).priorityClass("training").walltime(7200).build());
        w.finish("pad");
        assertThat(w.job("holder-0").nodes()[0]).isNotEqualTo(w.job("holder-1").nodes()[0]);
    }

    private static JobSpec scavenger(String id, long walltime) {
        return JobSpec.builder(id, "p").gpus(4).priorityClass("scavenger").preemptible(true).walltime(walltime).build();
    }

    @Test
    void aScavengerYieldsToATrainingGangWaitingForTheSameGpus() {
        World w = world(true);
        holders(w);
        w.submit(JobSpec.builder("gang", "p").gang(2, 8).priorityClass("training").walltime(3600).build());
        assertThat(w.verdict("gang").reason()).isEqualTo(PendingReason.NO_TOPOLOGY_DOMAIN);
        w.submit(scavenger("long", 4 * 3600));
        w.at(60).tick();
        assertThat(w.job("long").state()).as("half of n0 and n1 would fit it, but the gang waits for H100 GPUs and would preempt it").isEqualTo(JobState.PENDING);
        assertThat(w.verdict("long").reason()).isEqualTo(PendingReason.YIELDS_TO_WAITING_JOB);
        assertThat(w.verdict("long").detail()).contains("H100").contains("preempted");

        w.submit(scavenger("short", EXEMPT));
        assertThat(w.job("short").state()).as("it ends within its exempt time: nothing can preempt it, it may use the hole")
                .isEqualTo(JobState.RUNNING);

        w.at(600).finish("short");
        w.at(7200).finish("holder-0");
        assertThat(w.job("gang").state()).as("the whole nodes go to the gang").isEqualTo(JobState.RUNNING);
        assertThat(w.job("long").state()).as("nothing waits any more: it takes the half of n1 left").isEqualTo(JobState.RUNNING);
    }

    @Test
    void withoutPreemptionNothingYields() {
        World w = world(false);
        holders(w);
        w.submit(JobSpec.builder("gang", "p").gang(2, 8).priorityClass("training").walltime(3600).build());
        w.submit(scavenger("long", 4 * 3600));
        w.at(60).tick();
        assertThat(w.job("long").state()).as("no job could preempt it, so it uses the idle GPUs").isEqualTo(JobState.RUNNING);
    }

    @Test
    void aScavengerYieldsItsProjectsQuotaToAWaitingTrainingJobButMayBorrow() {
        // p owns 8 GPUs of quota on 16; q owns the other 8 and lends them.
        Fleet fleet = new FleetBuilder("t").site("s").block("b", "H100", "o").rack("r").node("n0", 8, 0, 0).node("n1", 8, 0, 0)
                .node("n2", 8, 0, 0).build();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()),
                new TenantSpec("p", "all", 1, List.of(new QuotaSpec("H100", 8, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))),
                new TenantSpec("q", "all", 1, List.of(new QuotaSpec("H100", 16, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED))));
        World w = new World(EngineConfig.of(fleet, tenants).withScheduler(new SchedulerSettings(0, 64, true, 512, EXEMPT)));
        w.submit(JobSpec.builder("q-work", "q").gpus(8).priorityClass("training").walltime(7200).build());
        w.submit(JobSpec.builder("p-work", "p").gpus(4).priorityClass("training").walltime(7200).build());
        w.submit(JobSpec.builder("p-next", "p").gpus(8).priorityClass("training").walltime(3600).build());
        assertThat(w.verdict("p-next").reason()).as("p has 4 GPUs of quota left").isEqualTo(PendingReason.QUOTA_EXCEEDED);
        w.submit(scavenger("p-scav", 4 * 3600));
        w.submit(JobSpec.builder("p-scav-8", "p").gpus(8).priorityClass("scavenger").preemptible(true).walltime(4 * 3600).build());
        w.at(60).tick();
        assertThat(w.verdict("p-scav").reason()).as("inside p's own quota it would take what p-next waits for")
                .isEqualTo(PendingReason.YIELDS_TO_WAITING_JOB);
        assertThat(w.job("p-scav-8").state()).as("too big for p's quota, it borrows q's idle GPUs, which p-next could not have; "
                + w.verdict("p-scav-8")).isEqualTo(JobState.RUNNING);
        assertThat(w.job("p-scav-8").borrowed()).isTrue();
    }
}
