package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4, drain-then-retire a node: "No way to … retire a node". Retiring asks the node to be drained (or
 * down) and empty first; a retired node takes no work for good, and its GPUs leave its pool, which must still honour
 * what it guarantees.
 */
class RetireNodeTest {

    @Test
    void aNodeIsRetiredOnceDrainedAndEmptyAndItsPoolShrinks() {
        World w = World.owned(); // org-b owns h2 (64 H100), all guaranteed to b1
        w.submit(JobSpec.builder("on-it", "b1").gpus(8).models("H100").walltime(3600).build());
        int node = w.job("on-it").nodes()[0];
        String name = w.engine.state().fleet().nodeName(node);
        Result up = w.apply(new Command.RetireNode(w.now, name));
        assertThat(up.rejection().message()).contains("is up: drain it first");
        w.apply(new Command.DrainNode(w.now, name));
        Result busy = w.apply(new Command.RetireNode(w.now, name));
        assertThat(busy.rejection().message()).contains("still runs 1 job(s), on-it");
        w.at(60).finish("on-it");
        Result guaranteed = w.apply(new Command.RetireNode(w.now, name));
        assertThat(guaranteed.rejection().message()).contains("pool H100@org-b guarantees 64 GPUs and would have 56", "short by 8");
        assertThat(w.apply(new Command.SetQuota(w.now, "b1", "H100", 56, -1, -1)).accepted()).isTrue();
        assertThat(w.apply(new Command.RetireNode(w.now, name)).accepted()).isTrue();
        assertThat(w.engine.state().capacity().health(node)).isEqualTo(Health.RETIRED);
        assertThat(w.engine.state().pools().gpus(w.engine.state().fleet().poolOfNode(node))).isEqualTo(56);

        assertThat(w.apply(new Command.NodeUp(w.now, name)).rejection().message()).contains("retired");
        assertThat(w.apply(new Command.SetQuota(w.now, "b1", "H100", 57, -1, -1)).rejection().message()).contains("has 56 GPUs");
        // The pool's other 7 nodes take b1's work; the retired one none.
        w.submit(JobSpec.builder("all", "b1").gang(7, 8).models("H100").walltime(3600).build());
        assertThat(w.job("all").state()).isEqualTo(JobState.RUNNING);
        for (int n : w.job("all").nodes()) assertThat(n).isNotEqualTo(node);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
        Engine restored = new Engine(w.config);
        restored.restore(w.engine.snapshot());
        assertThat(restored.state().pools().gpus(w.engine.state().fleet().poolOfNode(node))).as("a snapshot keeps it retired").isEqualTo(56);
    }
}
