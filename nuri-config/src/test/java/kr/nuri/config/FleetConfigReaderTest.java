package kr.nuri.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.core.config.SchedulerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetConfigReaderTest {

    @Test
    void theNationalDefaultHasTheAnnouncedShape() {
        NuriConfig c = FleetConfigReader.korea2025();
        Fleet f = c.engine().fleet();
        assertThat(f.totalGpus()).isEqualTo(259_520);
        assertThat(f.nodeCount()).isEqualTo(44_572);
        assertThat(f.models()).contains("H100", "H200", "B200", "GB200", "GH200", "RTX-PRO-6000");
        assertThat(gpusOwnedBy(f, "samsung")).isBetween(49_000L, 51_000L);
        assertThat(gpusOwnedBy(f, "sk")).isBetween(49_000L, 51_000L);
        assertThat(gpusOwnedBy(f, "hyundai")).isBetween(49_000L, 51_000L);
        assertThat(gpusOwnedBy(f, "naver")).isBetween(59_000L, 61_000L);
        assertThat(gpusOwnedBy(f, "naicc")).isGreaterThanOrEqualTo(15_000);
        long publicSector = gpusOwnedBy(f, "naicc") + gpusOwnedBy(f, "kisti") + gpusOwnedBy(f, "sovereign-ai")
                + gpusOwnedBy(f, "gov-cloud") + gpusOwnedBy(f, "research") + gpusOwnedBy(f, "startups");
        assertThat(publicSector).isBetween(48_000L, 52_000L);
        // Every NVL72 rack is one 72-GPU NVLink domain.
        int gb200 = f.modelIndex("GB200");
        for (int p = 0; p < f.poolCount(); p++) {
            if (f.modelOfPool(p) != gb200) continue;
            for (int r : f.racksOfPool(p)) {
                int gpus = 0;
                for (int n = f.firstNodeOfRack(r); n < f.endNodeOfRack(r); n++) gpus += f.nodeGpus(n);
                assertThat(gpus).isEqualTo(72);
            }
        }
        // Quotas match the hardware per pool: each owner's GPUs are promised once, to projects of its own line.
        Engine engine = new Engine(c.engine());
        TenantTree tree = engine.state().tenants();
        for (int p = 0; p < f.poolCount(); p++) {
            long quota = 0;
            for (int t = 0; t < tree.size(); t++) {
                if (!tree.isLeaf(t) || engine.state().quota().nominal(t, p) == 0) continue;
                quota += engine.state().quota().nominal(t, p);
                assertThat(engine.state().pools().owns(t, p)).as(tree.name(t) + " on " + f.poolName(p)).isTrue();
            }
            assertThat(quota).as(f.poolName(p)).isEqualTo(f.gpusOfPool(p));
        }
    }

    private static long gpusOwnedBy(Fleet f, String owner) {
        long g = 0;
        for (int b = 0; b < f.blockCount(); b++) {
            if (f.ownerOfBlock(b).equals(owner)) g += f.gpusOfBlock(b);
        }
        return g;
    }

    @Test
    void explicitNodeListsAndDefaultTenantsWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lab.yaml");
        Files.writeString(file, """
                name: lab
                sites:
                  - name: lab
                    blocks:
                      - name: b1
                        model: H100
                        owner: team
                        rackList:
                          - name: r1
                            nodes: [{name: gpu01, gpus: 8}, {name: gpu02, gpus: 4}]
                """);
        NuriConfig c = FleetConfigReader.load(file.toString());
        Fleet f = c.engine().fleet();
        assertThat(f.nodeCount()).isEqualTo(2);
        assertThat(f.nodeName(1)).isEqualTo("gpu02");
        assertThat(f.totalGpus()).isEqualTo(12);
        assertThat(f.domainOf(Level.RACK, 1)).isZero();
        assertThat(c.engine().tenants()).extracting(t -> t.name()).containsExactly("fleet", "team");
        assertThat(c.engine().scheduler().queueOrder()).isEqualTo("fair-share");
        Files.writeString(file, Files.readString(file) + "scheduler: {reservations: 0, queueOrder: srtf}\n");
        SchedulerSettings s = FleetConfigReader.load(file.toString()).engine().scheduler();
        assertThat(s.queueOrder()).isEqualTo("srtf");
        assertThat(s.reservations()).isZero();
        assertThat(s.probeDepth()).as("the rest keeps its defaults").isEqualTo(SchedulerSettings.DEFAULT.probeDepth());
    }

    @Test
    void nodesMayModelCpuAndMemoryAndTheSchedulerNamesItsNodePlacement() {
        NuriConfig c = FleetConfigReader.parse("share.yaml", """
                name: share
                sites:
                  - name: s
                    blocks:
                      - {name: t4, model: T4, racks: 2, nodesPerRack: 3, gpusPerNode: 2, cpuMilliPerNode: 32000, memoryMibPerNode: 131072}
                      - name: v100
                        model: V100
                        rackList: [{name: r1, nodes: [{name: v1, gpus: 8, cpuMilli: 96000, memoryMib: 393216}, {name: v2, gpus: 8}]}]
                scheduler:
                  placement: fgd
                  taskMix:
                    - {cpuMilli: 4000, gpus: 1, gpuMilli: 500, count: 30}
                    - {cpuMilli: 8000, gpus: 2, models: [V100], count: 10}
                    - {cpuMilli: 2000, gpus: 0, count: 5}
                """);
        Fleet f = c.engine().fleet();
        assertThat(f.nodeCpuMilli(0)).isEqualTo(32_000);
        assertThat(f.nodeMemoryMib(5)).isEqualTo(131_072);
        assertThat(f.nodeCpuMilli(f.nodeIndex("v1"))).isEqualTo(96_000);
        assertThat(f.nodeCpuMilli(f.nodeIndex("v2"))).as("not modelled").isZero();
        var placement = c.engine().scheduler().placement();
        assertThat(placement.policy()).isEqualTo("fgd");
        assertThat(placement.taskMix()).hasSize(3);
        assertThat(placement.taskMix().get(1).gpuMilli()).as("whole GPUs by default").isEqualTo(1000);
        assertThat(placement.taskMix().get(2).gpuMilli()).isZero();
        assertThatThrownBy(() -> FleetConfigReader.parse("share.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: T4, racks: 1, nodesPerRack: 1, gpusPerNode: 2}]}]
                scheduler: {placement: fgd}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("scheduler.placement").hasMessageContaining("task mix");
        assertThatThrownBy(() -> FleetConfigReader.parse("share.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: T4, racks: 1, nodesPerRack: 1, gpusPerNode: 2, cpuMilliPerNode: -5}]}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("cpuMilliPerNode").hasMessageContaining("-5");
        assertThatThrownBy(() -> FleetConfigReader.parse("share.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: T4, racks: 1, nodesPerRack: 1, gpusPerNode: 2}]}]
                scheduler: {placement: fgd, taskMix: [{gpus: 2, gpuMilli: 500}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("scheduler.taskMix[0]");
    }

    @Test
    void errorsNameTheFileTheFieldAndTheValue() {
        assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                name: x
                sites:
                  - name: s
                    blocks:
                      - {name: b, model: H100, racks: 2, nodesPerRack: 4, gpusPerNode: 0}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml").hasMessageContaining("sites[0].blocks[0].gpusPerNode").hasMessageContaining("0");
        assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                name: x
                sites:
                  - name: s
                    blocks:
                      - {name: b, model: H100, racks: 2, nodesPerRack: 4, gpusPerNode: 8, gpuPerNode: 8}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("gpuPerNode").hasMessageContaining("line");
        assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 1, gpusPerNode: 8}]}]
                tenants:
                  - {name: root}
                  - {name: p, parent: root, quotas: {B300: 8}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("tenants[1].quotas.B300").hasMessageContaining("H100");
        assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 1, gpusPerNode: 8}]}]
                tenants:
                  - {name: root}
                  - {name: p, parent: rot}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("'rot'");
        assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 1, gpusPerNode: 8}]}]
                scheduler: {queueOrder: lifo}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("scheduler.queueOrder").hasMessageContaining("lifo")
                .hasMessageContaining("sjf");
        for (String[] c : new String[][] {{"backfill", "conservative", "easy"}, {"preemptionPolicy", "everyone", "remaining-time"},
                {"admission", "open", "quota"}, {"gangPlacement", "anywhere", "topology"}, {"placement", "tetris", "dotprod"}}) {
            assertThatThrownBy(() -> FleetConfigReader.parse("bad.yaml", """
                    name: x
                    sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 1, gpusPerNode: 8}]}]
                    scheduler: {%s: %s}
                    """.formatted(c[0], c[1]))).as(c[0]).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("scheduler." + c[0]).hasMessageContaining(c[1]).hasMessageContaining(c[2]);
        }
        assertThatThrownBy(() -> FleetConfigReader.load("/nonexistent/fleet.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void guaranteesTheFleetCannotHonourAreRefusedAtLoad() {
        String fleet = """
                name: x
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 2, gpusPerNode: 8}]}]
                tenants:
                  - {name: root}
                  - {name: org, parent: root, quotas: {H100: %s}}
                  - {name: p, parent: org, quotas: {H100: %s}}
                """;
        assertThatThrownBy(() -> FleetConfigReader.parse("big.yaml", fleet.formatted(0, 16_001))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants[2].quotas.H100").hasMessageContaining("16001").hasMessageContaining("16000");
        assertThatThrownBy(() -> FleetConfigReader.parse("child.yaml", fleet.formatted(8, 12))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants[2].quotas.H100").hasMessageContaining("'org' (8)");
        assertThatThrownBy(() -> FleetConfigReader.parse("root.yaml", """
                name: x
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 1, nodesPerRack: 2, gpusPerNode: 8}]}]
                tenants: [{name: root, quotas: {H100: 8}}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("root of the quota tree");
        assertThat(FleetConfigReader.parse("ok.yaml", fleet.formatted(16, 16)).engine().tenants()).hasSize(3);
    }
}
