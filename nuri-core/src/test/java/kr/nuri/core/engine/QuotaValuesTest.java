package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 3 (values not checked), found by trying the product: accepted were a quota of 2,147,483,647, a GB200
 * quota beyond the fleet's GB200s, a quota on the root, and a dedicated award of 1,000,000 H100 on a fleet of 4,096.
 * Each is refused naming the field, the value and the limit, and nothing stored changes.
 */
class QuotaValuesTest {

    private static void refused(World w, Command c, String field, String... words) {
        long before = w.engine.stateHash();
        Result r = w.apply(c);
        assertThat(r.accepted()).as(c.toString()).isFalse();
        assertThat(r.rejection().field()).isEqualTo(field);
        for (String word : words) assertThat(r.rejection().message()).contains(word);
        assertThat(w.engine.stateHash()).as("nothing stored changes").isEqualTo(before);
    }

    @Test
    void aGuaranteeTheFleetCannotHonourIsRefused() {
        World w = World.small(); // 256 H100, 144 GB200
        // Quota counts a share as one GPU: the bound is one job per thousandth of every GPU (256,000 for 256 H100).
        refused(w, new Command.SetQuota(0, "a1", "H100", Integer.MAX_VALUE, -1, -1), "nominal", "2147483647", "256000");
        refused(w, new Command.SetQuota(0, "a1", "GB200", 144_001, -1, -1), "nominal", "144001", "144000");
        refused(w, new Command.SetQuota(0, "nation", "H100", 8, -1, -1), "tenant", "root");
        assertThat(w.apply(new Command.SetQuota(0, "a1", "H100", 256, -1, -1)).accepted()).as("all of them is fine").isTrue();
    }

    @Test
    void aChildsGuaranteeFitsItsParentsAndTheParentsStaysAboveItsChildren() {
        World w = World.small();
        assertThat(w.apply(new Command.SetQuota(0, "org-a", "H100", 96, -1, -1)).accepted()).isTrue();
        refused(w, new Command.SetQuota(0, "a1", "H100", 97, -1, -1), "nominal", "org-a", "96");
        assertThat(w.apply(new Command.SetQuota(0, "a1", "H100", 96, -1, -1)).accepted()).isTrue();
        refused(w, new Command.SetQuota(0, "org-a", "H100", 64, -1, -1), "nominal", "a1", "96");
    }

    @Test
    void aDedicatedAwardBeyondTheFleetIsRefused() {
        World w = World.small();
        refused(w, new Command.GrantAward(0, new AwardSpec("big", "a1", AwardSpec.Kind.DEDICATED, "H100", 0, 1_000_000, 0, 86_400)),
                "gpus", "1000000", "256");
        assertThat(w.apply(new Command.GrantAward(0, new AwardSpec("fits", "a1", AwardSpec.Kind.DEDICATED, "H100", 0, 64, 0, 86_400)))
                .accepted()).isTrue();
    }
}
