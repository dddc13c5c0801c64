package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's "nuri drain|resume a node, rack, block or site with a reason (shown by nodes and show node)": an operator
 * drains a rack with a reason, every node shows it, down nodes stay down, a resume brings the drained ones back and the
 * reason goes; the reason survives a restart; a drain without a reason is refused.
 */
class DrainIT extends ServerTestCase {

    @Test
    void anOperatorDrainsARackWithAReasonAndResumesIt() {
        assertThat(s.call("POST", "/api/v1/nodes/h-1-r1-n4/down", null).status()).isEqualTo(200);
        TestServer.Response noReason = s.call("POST", "/api/v1/drain", "{\"rack\":\"h-1-r1\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("field").asString()).isEqualTo("reason");
        TestServer.Response drained = s.call("POST", "/api/v1/drain", "{\"rack\":\"h-1-r1\",\"reason\":\"firmware 2.4\"}");
        assertThat(drained.status()).as(drained.text()).isEqualTo(200);
        assertThat(drained.json().get("total").asInt()).as("the down node stays down").isEqualTo(3);
        JsonNode n1 = s.call("GET", "/api/v1/nodes/h-1-r1-n1", null).json();
        assertThat(n1.get("health").asString()).isEqualTo("DRAIN");
        assertThat(n1.get("reason").asString()).isEqualTo("firmware 2.4");
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n4", null).json().get("reason").asString()).isEqualTo("failed");
        assertThat(s.call("POST", "/api/v1/nodes/h-2-r1-n1/drain", "{\"reason\":\"fan\"}").json().get("reason").asString()).isEqualTo("fan");
        assertThat(s.call("GET", "/api/v1/audit?action=node.drain", null).text()).contains("rack h-1-r1 (3 nodes)", "firmware 2.4");

        long hash = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n2", null).json().get("reason").asString()).as("journaled").isEqualTo("firmware 2.4");

        TestServer.Response resumed = s.call("POST", "/api/v1/resume", "{\"rack\":\"h-1-r1\"}");
        assertThat(resumed.json().get("total").asInt()).isEqualTo(3);
        JsonNode back = s.call("GET", "/api/v1/nodes/h-1-r1-n1", null).json();
        assertThat(back.get("health").asString()).isEqualTo("UP");
        assertThat(back.get("reason").isNull()).isTrue();
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n4", null).json().get("health").asString()).isEqualTo("DOWN");
        assertThat(s.call("POST", "/api/v1/drain", "{\"site\":\"nowhere\",\"reason\":\"x\"}").status()).isEqualTo(404);
    }
}
