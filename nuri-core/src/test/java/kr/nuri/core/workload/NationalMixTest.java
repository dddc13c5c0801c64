package kr.nuri.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/**
 * The one national generator, both profiles: same seed same jobs; sizes within quota, the largest site of the pool and
 * a node per member; kinds at their shares; RTX GPUs run simulations only; pretraining only on a large frontier quota;
 * walltimes as declared and capped by the class.
 */
class NationalMixTest {
    private static final int JOBS = 40_000;

    /** B200: 256 GPUs at s1, 128 at s2; H100 128; RTX 32. */
    private static EngineConfig config() {
        var fleet = new FleetBuilder("mix").site("s1").block("b", "B200", "root").racks(8, 4, 8).block("h", "H100", "root").racks(4, 4, 8)
                .block("r", "RTX-PRO-6000", "root").racks(2, 2, 8).site("s2").block("b2", "B200", "root").racks(4, 4, 8).build();
        return EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("lab", "root", 1, List.of(new QuotaSpec("B200", 320, -1, -1))),
                new TenantSpec("small", "root", 1, List.of(new QuotaSpec("H100", 64, -1, -1))),
                new TenantSpec("sim", "root", 1, List.of(new QuotaSpec("RTX-PRO-6000", 32, -1, -1)))));
    }

    private static List<JobSpec> draw(MixProfile profile, long seed) {
        NationalMix mix = new NationalMix(config(), profile, seed);
        List<JobSpec> out = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) out.add(mix.next("j" + i));
        return out;
    }

    @Test
    void theSameSeedGivesTheSameJobsAndAnotherSeedOthers() {
        assertThat(draw(MixProfile.national(), 3)).isEqualTo(draw(MixProfile.national(), 3));
        assertThat(draw(MixProfile.stress(), 3)).isEqualTo(draw(MixProfile.stress(), 3)).isNotEqualTo(draw(MixProfile.stress(), 4));
    }

    @Test
    void nationalJobsFitTheirQuotaSiteAndNodesAtTheKindsShares() {
        Map<String, Integer> byProject = new HashMap<>();
        int inference = 0;
        int pretraining = 0;
        int labJobs = 0;
        for (JobSpec j : draw(MixProfile.national(), 11)) {
            byProject.merge(j.project(), 1, Integer::sum);
            long gpus = j.totalGpus();
            assertThat(j.models()).hasSize(1);
            assertThat(j.gpusPerMember()).isBetween(1, 8);
            assertThat(j.walltime()).as(j.toString()).isLessThanOrEqualTo(EngineConfig.DEFAULT_CLASSES.stream()
                    .filter(c -> c.name().equals(j.priorityClass())).findFirst().orElseThrow().maxWalltime());
            if (j.walltime() < 14 * 86_400L && j.priorityClass().equals("training")) {
                assertThat(j.walltime()).as("declared 1.5 x the runtime").isEqualTo(Math.round(j.runtime() * 1.5));
            }
            assertThat(j.level()).as("the national profile gives no topology hints: anywhere in the fleet").isEqualTo(Level.FLEET);
            switch (j.project()) {
                case "sim" -> {
                    assertThat(gpus).as("a simulation on RTX: 1-8 GPUs").isBetween(1L, 8L);
                    assertThat(j.runtime()).isBetween(3600L, 12 * 3600L);
                    assertThat(j.priorityClass()).isEqualTo("training");
                }
                case "small" -> assertThat(gpus).as("no pretraining on H100; fine-tuning at most the quota").isLessThanOrEqualTo(64);
                case "lab" -> {
                    labJobs++;
                    assertThat(gpus).as("within the quota (320) and the largest B200 site (256)").isLessThanOrEqualTo(256);
                    if (gpus == 256) {
                        pretraining++;
                        assertThat(j.runtime()).isBetween(86_400L, 7 * 86_400L);
                    }
                    if (j.priorityClass().equals("inference")) {
                        inference++;
                        assertThat(gpus).isBetween(1L, 8L);
                    }
                }
                default -> throw new AssertionError(j.project());
            }
        }
        // Projects by quota: 320 : 64 : 32.
        assertThat(byProject.get("lab") / (double) JOBS).isCloseTo(320 / 416.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(byProject.get("sim") / (double) JOBS).isCloseTo(32 / 416.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(inference / (double) labJobs).isCloseTo(0.55, org.assertj.core.data.Offset.offset(0.02));
        assertThat(pretraining / (double) labJobs).isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.004));
    }

    @Test
    void stressJobsArePreemptibleAtTheirShareAndSayWhereToRun() {
        int preemptibleTraining = 0;
        int training = 0;
        int scavengers = 0;
        int huge = 0;
        for (JobSpec j : draw(MixProfile.stress(), 5)) {
            if (j.members() == 1) assertThat(j.level()).isEqualTo(Level.FLEET);
            if (j.totalGpus() > 128 && j.models().get(0).equals("B200")) huge++;
            assertThat(j.walltime()).isBetween(j.runtime(), Math.round(j.runtime() * 2.0));
            switch (j.priorityClass()) {
                case "training" -> {
                    training++;
                    if (Boolean.TRUE.equals(j.preemptible())) preemptibleTraining++;
                }
                case "scavenger" -> {
                    scavengers++;
                    assertThat(j.preemptible()).as("preemptible by its class").isNull();
                }
                default -> assertThat(j.priorityClass()).isEqualTo("inference");
            }
        }
        assertThat(preemptibleTraining / (double) training).isCloseTo(0.10, org.assertj.core.data.Offset.offset(0.01));
        assertThat(scavengers / (double) JOBS).isCloseTo(0.10, org.assertj.core.data.Offset.offset(0.01));
        assertThat(huge).as("gangs beyond 128 GPUs, halved to the quota and the site").isPositive();
    }

    @Test
    void kindsThatDoNotAddUpAreRefusedNamingTheProfile() {
        assertThatThrownBy(() -> new MixProfile("half", List.of(JobKind.of("a", 0.5, 1, 8, 60, 600, "training", false)), 1.5, 1.5, false))
                .hasMessageContaining("half").hasMessageContaining("0.5");
        assertThatThrownBy(() -> JobKind.of("odd", 1, 3, 8, 60, 600, "training", false)).hasMessageContaining("odd").hasMessageContaining("powers of two");
    }
}
