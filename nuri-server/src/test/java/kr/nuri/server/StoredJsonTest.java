package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the store keeps as JSON and an earlier build wrote without the fields added since: a tenant without
 * {@code isolated} (the tenancy table, before pools) reads as not isolated.
 */
class StoredJsonTest {
    private final JsonMapper json = Json.mapper();

    @Test
    void aTenantStoredBeforePoolsReadsAsNotIsolated() {
        TenantSpec t = new TenantSpec("a1", "org-a", 1, List.of(new QuotaSpec("H100", 8, -1, -1)));
        ObjectNode stored = json.valueToTree(t);
        stored.remove("isolated");
        TenantSpec read = json.treeToValue(stored, TenantSpec.class);
        assertThat(read.isolated()).isFalse();
        assertThat(read.quotas()).isEqualTo(t.quotas());
    }
}
