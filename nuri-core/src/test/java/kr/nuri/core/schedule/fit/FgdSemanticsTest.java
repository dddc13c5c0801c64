package kr.nuri.core.schedule.fit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.nuri.core.World;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.PlacementSettings.TaskShape;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the FGD reproduction's semantics pinned on small hand-computed cases, one per rule, as the authors' simulator
 * decides them (docs/fgd-reproduction.md): the fragmentation measure (CPU making a node's GPUs fragments), the
 * quantized FGD score and the GPU it picks inside a node, and each baseline's integer score and tie-break.
 */
class FgdSemanticsTest {
    private static final List<TaskShape> ONE_GPU_TASKS = List.of(new TaskShape(1000, 1, 1000, List.of(), 1));

    private static World world(Fleet fleet, String policy, List<TaskShape> mix) {
        List<QuotaSpec> quotas = fleet.models().stream().map(m -> new QuotaSpec(m, 1_000, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED)).toList();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()), new TenantSpec("p", "all", 1, quotas));
        SchedulerSettings s = new SchedulerSettings(0, 64, false, 1, 0, PolicyNames.DEFAULT, new PlacementSettings(policy, 3, mix));
        return new World(EngineConfig.of(fleet, tenants).withScheduler(s));
    }

    /** {@code count} nodes n0.. of {@code gpus} GPUs, 32 cores and 256 GiB each. */
    private static Fleet nodes(int count, int gpus) {
        FleetBuilder b = new FleetBuilder("t").site("s").block("b", "T4", "o").rack("r");
        for (int i = 0; i < count; i++) b.node("n" + i, gpus, 32_000, 262_144);
        return b.build();
    }

    private static JobSpec share(String id, int milli, int cpu) {
        return JobSpec.builder(id, "p").share(milli).cpuMilli(cpu).build();
    }

    private static JobSpec gpus(String id, int gpus, int cpu) {
        return JobSpec.builder(id, "p").gpus(gpus).cpuMilli(cpu).build();
    }

    @Test
    void aNodeWhoseCpuCannotHostATaskHasAllItsFreeGpusAsFragments() {
        TaskMix mix = new TaskMix(new int[] {8000}, new int[] {1}, new int[] {1000}, new long[] {0}, new long[] {1});
        int[] twoFree = {1000, 1000};
        assertThat(mix.fragmentation(8000, twoFree, 2, 0)).as("enough CPU: both free GPUs serve the task").isZero();
        assertThat(mix.fragmentation(4000, twoFree, 2, 0)).as("4 cores left for an 8-core task: both GPUs are fragments").isEqualTo(2000);
        assertThat(mix.fragmentation(8000, new int[] {300, 1000}, 2, 0)).as("the 300 left on a shared GPU serve no whole-GPU task").isEqualTo(300);
    }

    @Test
    void fgdScoresAsTheAuthorsQuantizedSigmoid() {
        assertThat(FragmentationGradientFit.quantize(0)).isEqualTo(50);
        assertThat(FragmentationGradientFit.quantize(-1000)).as("int(100 × sigmoid(1)) = int(73.1)").isEqualTo(73);
        assertThat(FragmentationGradientFit.quantize(1000)).as("int(100 × sigmoid(−1)) = int(26.9)").isEqualTo(26);
        assertThat(FragmentationGradientFit.quantize(-10)).as("a growth of −10 thousandths scores as none").isEqualTo(50);
    }

    @Test
    void fgdPutsAShareOnTheGpuWhoseUseFragmentsLeast() {
        // n0 has GPU 0 shared (500 left) and GPU 1 free. Against whole-GPU tasks, the 500 left are a fragment (F = 500):
        // a 500 share there makes F 0 (score int(100 × sigmoid(0.5)) = 62); on the free GPU F becomes 1000 (score 37).
        World w = world(nodes(1, 2), "fgd", ONE_GPU_TASKS);
        w.submit(share("first", 500, 1000));
        w.submit(share("second", 500, 1000));
        assertThat(w.job("second").slots()).as("the GPU the first share took").containsExactly(w.job("first").slots()[0]);
        assertThat(w.engine.state().capacity().free(0)).isEqualTo(1);
    }

    @Test
    void fgdBreaksEqualScoresToTheLowestNode() {
        // Three idle 2-GPU nodes: a 1-GPU task scores the same everywhere and goes to n0, the next one there too (its
        // other GPU: F stays 0), then n1.
        World w = world(nodes(3, 2), "fgd", ONE_GPU_TASKS);
        for (String id : List.of("a", "b", "c")) w.submit(gpus(id, 1, 1000));
        assertThat(w.job("a").nodes()).containsExactly(0);
        assertThat(w.job("b").nodes()).containsExactly(0);
        assertThat(w.job("c").nodes()).containsExactly(1);
    }

    @Test
    void packingScoresSharedGpusThenNodesInUseThenIdleNodesWithFewGpus() {
        // n0: 8 GPUs idle (score max(33 − 8, 8) = 25); n1: 2 GPUs idle (31). A 1-GPU task goes to n1.
        FleetBuilder b = new FleetBuilder("t").site("s").block("b", "T4", "o").rack("r");
        b.node("n0", 8, 32_000, 262_144).node("n1", 2, 32_000, 262_144);
        World w = world(b.build(), "packing", List.of());
        w.submit(gpus("a", 1, 1000));
        assertThat(w.job("a").nodes()).containsExactly(1);
        // n1 now in use with one free GPU: another 1-GPU task scores max(50 − 1, 33) = 49 there against 25 on n0.
        w.submit(gpus("b", 1, 1000));
        assertThat(w.job("b").nodes()).containsExactly(1);
        // A CPU-only task scores 0 everywhere: the lowest node that fits.
        w.submit(JobSpec.builder("cpu", "p").gpus(0).cpuMilli(1000).build());
        assertThat(w.job("cpu").nodes()).containsExactly(0);
    }

    @Test
    void clusteringGathersTasksOfOneShape() {
        // A share on n0; a second share prefers the node hosting shares only (75–100) over the idle n1 (25–50); a 1-GPU
        // task prefers the idle n1 (25–50) over n0, which hosts another shape (0–25).
        World w = world(nodes(2, 2), "clustering", List.of());
        w.submit(share("s1", 300, 1000));
        w.submit(share("s2", 300, 1000));
        w.submit(gpus("g1", 1, 1000));
        assertThat(w.job("s1").nodes()).containsExactly(0);
        assertThat(w.job("s2").nodes()).containsExactly(0);
        assertThat(w.job("g1").nodes()).containsExactly(1);
    }

    @Test
    void bestFitPrefersTheNodeLeastLeftAfterInCpuAndGpuTogether() {
        // Raw scores int(100 × (1 − ½ CPU left after / 32 cores − ½ GPU left after / 2 GPUs)) for a 1-core 1-GPU task: n0
        // (30 cores, 1 GPU left after) int(28.1) = 28, n1 (31 cores, 1 GPU) int(26.6) = 26; normalised 100 and 0: n0.
        World w = world(nodes(2, 2), "bestfit", List.of());
        w.submit(JobSpec.builder("cpu", "p").gpus(0).cpuMilli(1000).build()); // idle nodes tie: n0
        assertThat(w.job("cpu").nodes()).containsExactly(0);
        w.submit(gpus("g", 1, 1000));
        assertThat(w.job("g").nodes()).containsExactly(0);
        assertThat(w.job("g").state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void dotProductPrefersTheNodeWhoseFreeResourcesAlignLeastWithTheTask() {
        // n0 has 1 GPU left, n1 2: free·ask is smaller on n0, so its score int(100 × (1 − dot/2)) is the larger.
        World w = world(nodes(2, 2), "dotprod", List.of());
        w.submit(gpus("a", 1, 1000)); // both idle: equal, n0
        w.submit(gpus("b", 1, 1000));
        assertThat(w.job("a").nodes()).containsExactly(0);
        assertThat(w.job("b").nodes()).containsExactly(0);
    }

    /**
     * Nuri's own node fit with a task mix: FGD's score, then a node in use before an idle one. n0 (model A) is idle, n1
     * (model B) runs a task only B could take; a 1-GPU task scores alike on both (its growth of F is 0 either way): FGD
     * takes the lowest node, n0, and opens it; nuri keeps n0 whole and goes to n1.
     */
    @Test
    void nuriFitsWhereFgdCannotTellNodesApartOnANodeInUse() {
        for (String policy : List.of("fgd", "nuri")) {
            FleetBuilder b = new FleetBuilder("t").site("s").block("a", "A", "o").rack("ra").node("n0", 2, 32_000, 262_144)
                    .block("b", "B", "o").rack("rb").node("n1", 2, 32_000, 262_144);
            World w = world(b.build(), policy, ONE_GPU_TASKS);
            w.submit(JobSpec.builder("on-b", "p").gpus(1).cpuMilli(1000).models("B").build());
            w.submit(gpus("any", 1, 1000));
            assertThat(w.job("on-b").nodes()).containsExactly(1);
            assertThat(w.job("any").nodes()).as(policy).containsExactly(policy.equals("fgd") ? 0 : 1);
        }
    }

    /**
     * Nuri's first key: work that may run on any model goes to the model the constrained classes press least. One task
     * in a hundred can run only on A (n0); the rest anywhere. A flexible 1-GPU task grows F by 0 on n0 and shrinks it by
     * 10 thousandths on n1 (the A-only class cannot use B's GPUs): FGD's integer scores tie (50 and 50) and it takes
     * the lowest node, n0, spending A's GPUs; nuri sees A pressed (10 thousandths per task over 2 free GPUs) and B not,
     * and goes to n1. Once B is full, flexible work goes to A.
     */
    @Test
    void nuriSendsWorkThatRunsAnywhereToTheModelConstrainedWorkPressesLeast() {
        List<TaskShape> mix = List.of(new TaskShape(1000, 1, 1000, List.of("A"), 1), new TaskShape(1000, 1, 1000, List.of(), 99));
        for (String policy : List.of("fgd", "nuri")) {
            FleetBuilder b = new FleetBuilder("t").site("s").block("a", "A", "o").rack("ra").node("n0", 2, 32_000, 262_144)
                    .block("b", "B", "o").rack("rb").node("n1", 2, 32_000, 262_144);
            World w = world(b.build(), policy, mix);
            w.submit(gpus("any", 1, 1000));
            assertThat(w.job("any").nodes()).as(policy).containsExactly(policy.equals("fgd") ? 0 : 1);
        }
        FleetBuilder b = new FleetBuilder("t").site("s").block("a", "A", "o").rack("ra").node("n0", 2, 32_000, 262_144)
                .block("b", "B", "o").rack("rb").node("n1", 2, 32_000, 262_144);
        World w = world(b.build(), "nuri", mix);
        for (String id : List.of("x1", "x2", "x3")) w.submit(gpus(id, 1, 1000));
        assertThat(w.job("x1").nodes()).as("B first").containsExactly(1);
        assertThat(w.job("x2").nodes()).as("B first").containsExactly(1);
        assertThat(w.job("x3").nodes()).as("B full: A").containsExactly(0);
    }
}
