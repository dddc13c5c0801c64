package kr.nuri.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/** Whose nodes ran whose work: own use, lent and borrowed, per owner (tenancy finding 1, measured). */
class OwnershipUseTest {
    @Test
    void aJobOnAnotherOwnersNodesIsLentByOneAndBorrowedByTheOther() {
        Fleet fleet = new FleetBuilder("f").site("s")
                .block("pub", "H100", "public").racks(1, 2, 8)
                .block("ind", "H100", "sk").racks(1, 2, 8)
                .build();
        List<TenantSpec> tenants = List.of(new TenantSpec("nation", null, 1, List.of()), new TenantSpec("public", "nation", 1, List.of()),
                new TenantSpec("kaist", "public", 1, List.of()), new TenantSpec("sk", "nation", 1, List.of()),
                new TenantSpec("skt", "sk", 1, List.of()), new TenantSpec("loner", "nation", 1, List.of()));
        OwnershipUse use = new OwnershipUse(EngineConfig.of(fleet, tenants));
        assertThat(use.ownerOf("skt")).isEqualTo("sk");
        assertThat(use.ownerOf("kaist")).isEqualTo("public");
        assertThat(use.ownerOf("loner")).isEqualTo(OwnershipUse.NONE);
        int pub0 = fleet.nodeIndex("pub-r1-n1");
        int ind0 = fleet.nodeIndex("ind-r1-n1");
        use.started("a", "skt", new int[] {pub0, ind0}, new double[] {8, 8}, 0); // half on public's node
        use.ended("a", 3600);
        use.started("b", "kaist", new int[] {pub0}, new double[] {0.5}, 0); // a share
        use.ended("b", 7200);
        use.started("c", "loner", new int[] {ind0}, new double[] {1}, 0);
        use.ended("c", 3600);
        assertThat(use.gpuHours().get("sk")).containsExactly(8, 1, 8);
        assertThat(use.gpuHours().get("public")).containsExactly(1, 8, 0);
        assertThat(use.gpuHours().get(OwnershipUse.NONE)).containsExactly(0, 0, 1);
    }
}
