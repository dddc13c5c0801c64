package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4, its second half: "No way to … add a block of nodes, … or change an owner". A block is added and a
 * block changes owner by journaled commands while jobs run; no index moves, the new GPUs take work in their owner's pool,
 * an owner change waits until the block is drained and its old pool can spare it, and replay and snapshots hold.
 */
class FleetChangeTest {

    private static Command add(World w, String site, String block, String model, String owner) {
        return new Command.AddBlock(w.now, site, block, model, owner, 1, 4, 8);
    }

    @Test
    void aBlockIsAddedAndABlockChangesOwnerWhileJobsRun() {
        World w = World.owned(); // h1 (org-a), h2 (org-b), g1 (org-a) at s1; h3 (ind) at s2
        Fleet before = w.engine.state().fleet();
        w.submit(JobSpec.builder("b-job", "b1").gang(2, 8).models("H100").walltime(86_400).build());
        String bNode = before.nodeName(w.job("b-job").nodes()[0]);
        int poolsBefore = before.poolCount();

        // A block of 32 H100 for org-b at s1 (not the last site: a segment of its own), and a GB200 block for industry.
        assertThat(w.apply(add(w, "s1", "h9", "H100", "org-b")).accepted()).isTrue();
        assertThat(w.apply(add(w, "s2", "g9", "GB200", "ind")).accepted()).isTrue();
        Fleet f = w.engine.state().fleet();
        assertThat(f.nodeIndex(bNode)).as("no index moves").isEqualTo(before.nodeIndex(bNode));
        assertThat(f.nodeIndex("h9-r1-n1")).isEqualTo(before.nodeCount());
        assertThat(f.poolName(f.poolOfNode(f.nodeIndex("h9-r1-n1")))).isEqualTo("H100@org-b");
        assertThat(f.poolCount()).isEqualTo(poolsBefore + 1);
        assertThat(f.poolName(poolsBefore)).isEqualTo("GB200@ind");
        assertThat(w.job("b-job").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.apply(add(w, "s1", "h9", "H100", "org-b")).rejection().message()).contains("exists already");
        assertThat(w.apply(add(w, "s1", "h8", "H100", "nobody")).rejection().field()).isEqualTo("owner");

        // org-b's pool grew: b1 may be guaranteed its 96 GPUs, and its work runs on the new nodes too.
        assertThat(w.apply(new Command.SetQuota(w.now, "b1", "H100", 96, -1, -1)).accepted()).isTrue();
        w.submit(JobSpec.builder("b-more", "b1").gang(10, 8).models("H100").walltime(3600).build());
        assertThat(w.job("b-more").state()).as(w.verdict("b-more").toString()).isEqualTo(JobState.RUNNING);
        assertThat(Arrays.stream(w.job("b-more").nodes()).mapToObj(f::nodeName).anyMatch(n -> n.startsWith("h9-"))).isTrue();

        // h2 to org-a: refused while b1's jobs run there, then while org-b's pool would fall short, then done.
        Result busy = w.apply(new Command.SetBlockOwner(w.now, "h2", "org-a"));
        assertThat(busy.rejection().message()).contains("runs on h2-", "drain the block");
        w.at(100).finish("b-job");
        w.finish("b-more");
        Result short8 = w.apply(new Command.SetBlockOwner(w.now, "h2", "org-a"));
        assertThat(short8.rejection().message()).contains("pool H100@org-b guarantees 96 GPUs and would have 32", "short by 64");
        assertThat(w.apply(new Command.SetQuota(w.now, "b1", "H100", 32, -1, -1)).accepted()).isTrue();
        assertThat(w.apply(new Command.SetBlockOwner(w.now, "h2", "org-a")).accepted()).isTrue();
        f = w.engine.state().fleet();
        assertThat(f.poolName(f.poolOfNode(f.nodeIndex("h2-r1-n1")))).isEqualTo("H100@org-a");
        assertThat(w.engine.state().pools().gpus(f.poolIndex("H100@org-a"))).isEqualTo(128);
        assertThat(w.apply(new Command.SetQuota(w.now, "a1", "H100", 96, -1, -1)).accepted()).isTrue();

        assertThat(w.replayed().stateHash()).as("the journal alone rebuilds it").isEqualTo(w.engine.stateHash());
        Engine restored = new Engine(w.config);
        restored.restore(w.engine.snapshot());
        assertThat(restored.stateHash()).as("a snapshot carries the fleet's changes").isEqualTo(w.engine.stateHash());
        assertThat(restored.state().fleet().nodeCount()).isEqualTo(f.nodeCount());
    }
}
