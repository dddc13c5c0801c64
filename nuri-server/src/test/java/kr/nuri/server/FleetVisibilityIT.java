package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.server.api.FleetVisibility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17, finding 13 (who sees the fleet), on the small fleet (org-a owns the H100, org-b the B200): users see the
 * pools they may use, aggregated, and per-node detail only of their own organisation's hardware, unless the server is
 * started {@code --fleet-visibility owner} (their own pools only) or {@code open} (every node). Operators see all.
 */
class FleetVisibilityIT extends ServerTestCase {

    @Test
    void usersSeeThePoolsTheyMayUseAndOnlyTheirOwnNodes() {
        String alice = s.token("alice", "user", "a1");
        String bob = s.token("bob", "user", "b1");
        assertThat(pools(bob)).as("nothing isolated: b1 may borrow org-a's H100").containsExactly("H100@org-a", "B200@org-b");
        assertThat(pools(alice)).containsExactly("H100@org-a", "B200@org-b");
        assertThat(s.call("GET", "/api/v1/nodes?limit=100", bob, null).text()).contains("b-1-r1-n1").doesNotContain("h-1-r1-n1");
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n1", bob, null).status()).isEqualTo(404);

        s.restartOn("small-isolated.yaml");
        assertThat(pools(alice)).as("org-b is isolated: a1 may not run on its B200, so does not see the pool").containsExactly("H100@org-a");
        assertThat(pools(bob)).as("org-a lends: b1 may borrow its H100").containsExactly("H100@org-a", "B200@org-b");
        assertThat(pools(s.operatorToken)).containsExactly("H100@org-a", "B200@org-b");
        String admin = s.token("ann", "tenant_admin", "org-a");
        assertThat(pools(admin)).as("a tenant admin sees what its projects may use").containsExactly("H100@org-a");
    }

    @Test
    void ownerShowsOnlyTheOrganisationsOwnPoolsAndOpenShowsEveryNode() {
        String bob = s.token("bob", "user", "b1");
        s.visibility = FleetVisibility.OWNER;
        s.restartOn("small.yaml");
        assertThat(pools(bob)).containsExactly("B200@org-b");
        assertThat(pools(s.operatorToken)).containsExactly("H100@org-a", "B200@org-b");
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n1", bob, null).status()).isEqualTo(404);

        s.visibility = FleetVisibility.OPEN;
        s.restartOn("small.yaml");
        assertThat(pools(bob)).containsExactly("H100@org-a", "B200@org-b");
        assertThat(s.call("GET", "/api/v1/nodes?limit=100", bob, null).text()).contains("b-1-r1-n1", "h-1-r1-n1");
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n1", bob, null).status()).isEqualTo(200);
        assertThat(s.call("GET", "/api/v1/nodes/summary", bob, null).text()).contains("H100", "B200");
    }

    private List<String> pools(String token) {
        TestServer.Response r = s.call("GET", "/api/v1/pools", token, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode p : r.json()) names.add(p.get("name").asString());
        return names;
    }
}
