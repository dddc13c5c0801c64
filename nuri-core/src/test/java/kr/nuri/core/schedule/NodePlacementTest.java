package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.nuri.core.World;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.PlacementSettings.TaskShape;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Rejection;
import kr.nuri.core.engine.Result;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/** GPU shares, CPU and memory on nodes, and the node placement policies, on the engine. */
class NodePlacementTest {

    private static World world(Fleet fleet, String policy, List<TaskShape> mix) {
        List<QuotaSpec> quotas = fleet.models().stream().map(m -> new QuotaSpec(m, 1_000, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED)).toList();
        List<TenantSpec> tenants = List.of(new TenantSpec("all", null, 1, List.of()), new TenantSpec("p", "all", 1, quotas));
        SchedulerSettings s = new SchedulerSettings(0, 64, false, 1, 0, PolicyNames.DEFAULT, new PlacementSettings(policy, 3, mix));
        return new World(EngineConfig.of(fleet, tenants).withScheduler(s));
    }

    private static Fleet nodes(int count, int gpus, int cpuMilli, long memoryMib) {
        FleetBuilder b = new FleetBuilder("t").site("s").block("b", "T4", "o").rack("r");
        for (int i = 0; i < count; i++) b.node("n" + i, gpus, cpuMilli, memoryMib);
        return b.build();
    }

    private static JobSpec share(String id, int milli) {
        return JobSpec.builder(id, "p").share(milli).build();
    }

    @Test
    void sharesPackOntoTheFullestGpuAndFreeItWhenTheyEnd() {
        World w = world(nodes(1, 2, 0, 0), "nuri", List.of());
        Capacity c = w.engine.state().capacity();
        for (String id : List.of("a", "b", "c")) w.submit(share(id, 300));
        assertThat(List.of(w.job("a"), w.job("b"), w.job("c"))).allMatch(j -> j.state() == JobState.RUNNING && j.slots()[0] == 0);
        assertThat(c.shareUsed(0, 0)).isEqualTo(900);
        assertThat(c.free(0)).as("one GPU shared, one whole free").isEqualTo(1);
        w.submit(share("d", 200)); // 100 left on slot 0: it takes the other GPU
        assertThat(w.job("d").slots()).containsExactly(1);
        assertThat(c.free(0)).isZero();
        w.submit(JobSpec.builder("whole", "p").gpus(1).build());
        assertThat(w.job("whole").state()).isEqualTo(JobState.PENDING);
        assertThat(w.verdict("whole").reason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
        w.finish("d");
        assertThat(c.shareUsed(0, 1)).isZero();
        assertThat(w.job("whole").state()).as("the last share leaving frees the GPU whole, for the waiting job").isEqualTo(JobState.RUNNING);
        assertThat(c.free(0)).isZero();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
        // Accounting counts a share as one GPU.
        assertThat(w.engine.state().quota().own(w.engine.state().tenants().index("p"), 0)).isEqualTo(4);
    }

    @Test
    void aWaitingShareGetsAnEstimatedStartAndACpuOnlyJobOnlyAReason() {
        World w = world(nodes(1, 1, 4_000, 0), "nuri", List.of());
        w.submit(JobSpec.builder("whole", "p").gpus(1).cpuMilli(1_000).walltime(1_000).build());
        w.submit(JobSpec.builder("share", "p").share(300).walltime(600).build());
        w.submit(JobSpec.builder("cpu", "p").gang(1, 0).cpuMilli(3_500).walltime(600).build());
        w.at(10).tick();
        assertThat(w.verdict("share").reason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
        assertThat(w.verdict("share").estimatedStart()).as("when the whole-GPU job's walltime ends").isEqualTo(1_000);
        assertThat(w.verdict("cpu").reason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
        assertThat(w.verdict("cpu").estimatedStart()).isEqualTo(-1);
        w.at(20).finish("whole");
        assertThat(w.job("share").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("cpu").state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void cpuAndMemoryOfANodeBoundWhatStartsThere() {
        World w = world(nodes(1, 8, 4_000, 10_240), "nuri", List.of());
        w.submit(JobSpec.builder("a", "p").gpus(1).cpuMilli(3_000).build());
        w.submit(JobSpec.builder("b", "p").gpus(1).cpuMilli(3_000).build());
        assertThat(w.job("a").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("b").state()).as("7 GPUs free but 1,000 mCPU left").isEqualTo(JobState.PENDING);
        assertThat(w.verdict("b").reason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
        assertThat(w.verdict("b").detail()).contains("3000 mCPU");
        w.submit(JobSpec.builder("cpu-only", "p").gang(1, 0).cpuMilli(1_000).memoryMib(10_240).build());
        assertThat(w.job("cpu-only").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.engine.state().capacity().memoryLeft(0)).isZero();
        w.finish("a");
        w.tick();
        assertThat(w.job("b").state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void badNodeFitRequestsAreRefusedNamingTheField() {
        World w = world(nodes(2, 4, 8_000, 0), "nuri", List.of());
        assertThat(refusal(w, JobSpec.builder("x", "p").share(500).gang(1, 2).build()).field()).isEqualTo("gpusPerMember");
        assertThat(refusal(w, JobSpec.builder("x", "p").gang(2, 1).cpuMilli(1_000).build()).field()).isEqualTo("members");
        assertThat(refusal(w, JobSpec.builder("x", "p").gang(1, 0).build()).field()).isEqualTo("gpusPerMember");
        assertThat(refusal(w, new JobSpec("x", "p", "u", null, 1, 1, List.of(), null, true, "training", 0, null, true, 0, 1_200, 0, 0, null, null))
                .field()).isEqualTo("gpuMilli");
        Rejection tooMuchCpu = refusal(w, JobSpec.builder("x", "p").gpus(1).cpuMilli(9_000).build());
        assertThat(tooMuchCpu.field()).isEqualTo("cpuMilli");
        assertThat(tooMuchCpu.value()).isEqualTo("9000");
        assertThat(w.engine.state().jobs()).isEmpty();
    }

    private static Rejection refusal(World w, JobSpec spec) {
        Result r = w.submit(spec);
        assertThat(r.accepted()).as(spec.toString()).isFalse();
        return r.rejection();
    }

    /**
     * The FGD paper's point: node 0 has a GPU with 600 thousandths left, node 1 a free GPU. A 500 share on node 0
     * strands 100 thousandths for a workload of 500 shares; on node 1 it leaves 500, still usable. Best fit and the
     * others take the fuller node 0; fgd, and nuri given the workload's mix, take node 1.
     */
    @Test
    void fgdAvoidsStrandingWhatBestFitStrands() {
        List<TaskShape> mix = List.of(new TaskShape(0, 1, 500, List.of(), 1));
        for (String policy : List.of("fgd", "bestfit", "nuri", "packing", "clustering")) {
            World w = world(nodes(2, 1, 8_000, 1_000), policy, mix);
            Result first = w.apply(new kr.nuri.core.command.Command.SubmitJob(0, share("first", 400)));
            assertThat(first.accepted()).isTrue();
            int firstNode = w.job("first").nodes()[0];
            w.submit(share("second", 500));
            boolean byFragmentation = policy.equals("fgd") || policy.equals("nuri");
            assertThat(w.job("second").nodes()[0]).as(policy).isEqualTo(byFragmentation ? 1 - firstNode : firstNode);
        }
    }

    @Test
    void theRandomPolicyDependsOnTheSeedAndTheJobOnly() {
        int[] counts = new int[8];
        for (int i = 0; i < 400; i++) {
            World w = world(nodes(8, 1, 0, 0), "random", List.of());
            w.submit(share("j" + i, 100));
            World again = world(nodes(8, 1, 0, 0), "random", List.of());
            again.submit(share("j" + i, 100));
            assertThat(again.job("j" + i).nodes()).isEqualTo(w.job("j" + i).nodes());
            counts[w.job("j" + i).nodes()[0]]++;
        }
        // Every job is the first of its engine (sequence 0), so the choice is the same: the seed decides.
        assertThat(java.util.Arrays.stream(counts).filter(c -> c > 0).count()).isEqualTo(1);
        World w = world(nodes(8, 1, 0, 0), "random", List.of());
        for (int i = 0; i < 8; i++) w.submit(share("k" + i, 100));
        assertThat(w.engine.state().jobs().stream().map(j -> j.nodes()[0]).distinct().count())
                .as("different jobs land on different nodes").isGreaterThan(2);
    }

    @Test
    void fgdNeedsATaskMix() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlacementSettings("fgd", 0, List.of()))
                .hasMessageContaining("task mix");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world(nodes(8, 1, 0, 0), "tetris", List.of()))
                .hasMessageContaining("scheduler.placement").hasMessageContaining("'tetris'").hasMessageContaining("dotprod");
    }
}
