package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;


import org.junit.jupiter.api.Test;




import tools.jackson.databind.JsonNode;

/** Tokens expire, show when they were last used, and the last operator token that works cannot be revoked. */
class TokensIT extends ServerTestCase {
    @Test
    void aTokenExpiresAndShowsItsLastUse() throws Exception {
        TestServer.Response made = s.call("POST", "/api/v1/tokens", "{\"user\":\"alice\",\"role\":\"user\",\"tenant\":\"a1\"}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        JsonNode token = made.json().get("token");
        Duration life = Duration.between(Instant.parse(token.get("created").asString()), Instant.parse(token.get("expires").asString()));
        assertThat(life).as("the default life of a token").isEqualTo(Duration.ofDays(90));
        assertThat(token.get("lastUsed").isNull()).isTrue();
        String alice = made.json().get("secret").asString();
        assertThat(s.call("GET", "/api/v1/whoami", alice, null).status()).isEqualTo(200);
        JsonNode listed = s.call("GET", "/api/v1/tokens", null).json();
        String id = token.get("id").asString();
        for (JsonNode t : listed) {
            if (t.get("id").asString().equals(id)) assertThat(t.get("lastUsed").asString()).as("last used, shown").isNotEmpty();
        }
        TestServer.Response week = s.call("POST", "/api/v1/tokens", "{\"user\":\"bob\",\"role\":\"user\",\"tenant\":\"a1\",\"expiresInDays\":7}");
        JsonNode w = week.json().get("token");
        assertThat(Duration.between(Instant.parse(w.get("created").asString()), Instant.parse(w.get("expires").asString()))).isEqualTo(Duration.ofDays(7));
        TestServer.Response bad = s.call("POST", "/api/v1/tokens", "{\"user\":\"bob\",\"role\":\"user\",\"tenant\":\"a1\",\"expiresInDays\":0}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asString()).isEqualTo("expiresInDays");
        // Expired (as the store says after a restart): refused.
        s.stop();
        s.sql("UPDATE api_token SET expires_at = 1 WHERE id = '" + id + "'");
        s.start();
        assertThat(s.call("GET", "/api/v1/whoami", alice, null).status()).as("an expired token").isEqualTo(401);
    }

    @Test
    void theLastOperatorTokenThatWorksCannotBeRevoked() throws Exception {
        String first = s.operatorToken;
        String firstId = first.split("_")[1];
        TestServer.Response refused = s.call("DELETE", "/api/v1/tokens/" + firstId, null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("last operator token");
        String second = s.call("POST", "/api/v1/tokens", "{\"user\":\"ops2\",\"role\":\"operator\"}").json().get("secret").asString();
        assertThat(s.call("DELETE", "/api/v1/tokens/" + firstId, second, null).status()).as("with another operator token").isEqualTo(204);
        assertThat(s.call("GET", "/api/v1/whoami", first, null).status()).isEqualTo(401);
        // Every operator token expired: the next start makes a new one (shown once) instead of locking everyone out.
        s.stop();
        s.sql("UPDATE api_token SET expires_at = 1 WHERE role = 'OPERATOR'");
        s.server = null;
        s.operatorToken = null;
        s.start();
        assertThat(s.server.firstToken()).as("a new operator token").isNotNull();
        assertThat(s.call("GET", "/api/v1/whoami", null).json().get("role").asString()).isEqualTo("operator");
        if (s.dbUrl == null) {
            assertThat(Files.getPosixFilePermissions(dir)).as("the data directory").isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("nuri.db"))).as("the database").isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("operator-token"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }
}
