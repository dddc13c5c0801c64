package kr.nuri.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A site's execution backend in the fleet file (issue 18): defaults, and every error naming the field and the value. */
class BackendReaderTest {
    private static String fleet(String backend) {
        return """
                name: b
                sites:
                  - name: s1
                    %s
                    blocks:
                      - name: b
                        model: H100
                        rackList: [{name: r1, nodes: [{name: gn0001}, {name: gn0002}]}]
                  - name: s2
                    blocks: [{name: c, model: H100, racks: 1, nodesPerRack: 1, gpusPerNode: 8}]
                """.formatted(backend);
    }

    @Test
    void aSlurmSiteGetsItsDefaultsAndAVirtualOneNoBackend() {
        NuriConfig c = FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://head:6820/\", jwtKey: /k, nodeMap: {gn0002: node7}}"));
        SiteBackend b = c.backends().get("s1");
        assertThat(c.backends()).containsOnlyKeys("s1");
        assertThat(b.url()).isEqualTo("http://head:6820");
        assertThat(b.user()).isEqualTo("root");
        assertThat(b.partition()).isEqualTo("nuri");
        assertThat(b.poll()).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.slurmName("gn0001")).isEqualTo("gn0001");
        assertThat(b.slurmName("gn0002")).isEqualTo("node7");
        assertThat(b.priority()).as("the priority is left to Slurm").isZero();
        assertThat(FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://h\", jwtKey: /k, priority: 1000}"))
                .backends().get("s1").priority()).isEqualTo(1000);
        assertThat(FleetConfigReader.parse("b.yaml", fleet("backend: {type: virtual}")).backends()).isEmpty();
    }

    @Test
    void badBackendsAreRefusedNamingTheFieldAndTheValue() {
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: pbs}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sites[0].backend.type").hasMessageContaining("pbs");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, jwtKey: /k}")))
                .hasMessageContaining("sites[0].backend.url");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"ftp://x\", jwtKey: /k}")))
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\"}")))
                .hasMessageContaining("jwtKey").hasMessageContaining("tokenFile");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\", jwtKey: /k, nodeMap: {c-1-r1-n1: x}}")))
                .hasMessageContaining("nodeMap").hasMessageContaining("c-1-r1-n1").hasMessageContaining("not a node of site s1");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\", jwtKey: /k, pollSeconds: 0}")))
                .hasMessageContaining("pollSeconds");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\", jwtKey: /k, partition: \"a b\"}")))
                .hasMessageContaining("partition").hasMessageContaining("a b");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\", jwtKey: /k, priority: 0}")))
                .hasMessageContaining("sites[0].backend.priority").hasMessageContaining("0").hasMessageContaining("hold");
        assertThatThrownBy(() -> FleetConfigReader.parse("b.yaml", fleet("backend: {type: slurm, url: \"http://x\", jwtKey: /k, priority: 4294967294}")))
                .hasMessageContaining("sites[0].backend.priority").hasMessageContaining("4294967294");
    }
}
