package kr.nuri.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.Arrival;
import org.junit.jupiter.api.Test;

class NationalWorkloadTest {
    private static EngineConfig fleet() {
        var fleet = new FleetBuilder("two").site("s").block("h", "H100", "o").racks(4, 4, 8).block("b", "B200", "o").racks(4, 4, 8).build();
        return EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("startups", "root", 1, List.of()),
                new TenantSpec("startup-pool", "startups", 1, List.of(new QuotaSpec("H100", 128, -1, -1))),
                new TenantSpec("lab", "root", 1, List.of(new QuotaSpec("B200", 128, -1, -1)))));
    }

    @Test
    void aWhatIfModelOpensPortableJobsOfItsTenantsProjectsToItAndChangesNoDraw() {
        EngineConfig config = fleet();
        List<Arrival> plain = NationalWorkload.generate(config, 3000, 0.8, 5);
        // Given to the organisation: its project's jobs may use it.
        List<Arrival> gained = NationalWorkload.generate(config, 3000, 0.8, 5, Map.of("startups", Set.of("B200")));
        assertThat(gained).hasSameSizeAs(plain);
        int widened = 0;
        for (int i = 0; i < plain.size(); i++) {
            Arrival a = plain.get(i);
            Arrival b = gained.get(i);
            assertThat(b.time()).isEqualTo(a.time());
            assertThat(b.spec().id()).isEqualTo(a.spec().id());
            assertThat(b.spec().totalGpus()).isEqualTo(a.spec().totalGpus());
            assertThat(b.spec().runtime()).isEqualTo(a.spec().runtime());
            assertThat(b.spec().models().get(0)).as("a job's own model comes first").isEqualTo(a.spec().models().get(0));
            if (a.spec().project().equals("startup-pool")) {
                assertThat(b.spec().models()).containsExactly("H100", "B200");
                widened++;
            } else {
                assertThat(b.spec().models()).isEqualTo(a.spec().models());
            }
        }
        assertThat(widened).isPositive();
        assertThat(plain).allSatisfy(a -> assertThat(a.spec().models()).hasSize(1));
    }
}
