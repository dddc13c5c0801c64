package kr.nuri.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a user typed cannot change the request: every value is encoded, absent ones are left out. */
class QueryTest {
    @Test
    void valuesAreEncodedAndAbsentOnesLeftOut() {
        assertThat(Query.of("/api/v1/jobs").with("limit", 100).with("state", null).with("tenant", "a&b=c d").toString())
                .isEqualTo("/api/v1/jobs?limit=100&tenant=a%26b%3Dc+d");
        assertThat(Query.of("/api/v1/audit").with("from", "2026-01-01T09:00:00+09:00").toString())
                .as("a '+' in a time stays a '+'").isEqualTo("/api/v1/audit?from=2026-01-01T09%3A00%3A00%2B09%3A00");
        assertThat(Query.of("/api/v1/nodes").toString()).isEqualTo("/api/v1/nodes");
        assertThat(Query.encode("job 1/2")).isEqualTo("job+1%2F2");
    }
}
