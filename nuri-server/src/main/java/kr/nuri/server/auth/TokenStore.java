package kr.nuri.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kr.nuri.server.journal.Database;

/**
 * Bearer tokens, stored hashed (SHA-256 of a 256-bit random secret; the secret is shown once, at
 * creation). A token reads {@code nuri_<id>_<secret>}: the id finds the row, the secret proves it.
 * Checked from memory; the database is the store.
 */
public final class TokenStore {
    private static final String PREFIX = "nuri_";
    private final Database db;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Stored> byId = new ConcurrentHashMap<>();
    /** Bearer strings already proven, so a busy client is not hashed on every request; cleared on revoke. */
    private final Map<String, Principal> proven = new ConcurrentHashMap<>();
    private static final int MAX_PROVEN = 100_000;

    public TokenStore(Database db) {
        this.db = db;
        db.jdbi().useHandle(h -> h.createQuery(
                        "SELECT id, secret_hash, role, tenant, user_name, created_at FROM api_token WHERE revoked_at IS NULL")
                .map((rs, ctx) -> new Stored(new TokenInfo(rs.getString(1), rs.getString(5), Role.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getLong(6)), rs.getString(2)))
                .forEach(s -> byId.put(s.info().id(), s)));
    }

    public boolean isEmpty() { return byId.isEmpty(); }

    /** Creates a token and returns its secret form; the only time the secret exists outside the caller. */
    public Issued issue(String user, Role role, String tenant, long nowMillis) {
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = sha256(secretText);
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO api_token (id, secret_hash, role, tenant, user_name, created_at) "
                        + "VALUES (:id, :hash, :role, :tenant, :user, :at)")
                .bind("id", id).bind("hash", hash).bind("role", role.name()).bind("tenant", tenant)
                .bind("user", user).bind("at", nowMillis).execute());
        TokenInfo info = new TokenInfo(id, user, role, tenant, nowMillis);
        byId.put(id, new Stored(info, hash));
        return new Issued(info, PREFIX + id + "_" + secretText);
    }

    /** The principal a bearer token stands for, or null if it is unknown, revoked or malformed. */
    public Principal authenticate(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) return null;
        Principal known = proven.get(bearer);
        if (known != null) return known;
        int sep = bearer.indexOf('_', PREFIX.length());
        if (sep < 0) return null;
        Stored s = byId.get(bearer.substring(PREFIX.length(), sep));
        if (s == null) return null;
        byte[] given = sha256(bearer.substring(sep + 1)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, s.hash().getBytes(StandardCharsets.US_ASCII))) return null;
        TokenInfo i = s.info();
        Principal p = new Principal(i.id(), i.user(), i.role(), i.tenant());
        if (proven.size() >= MAX_PROVEN) proven.clear();
        proven.put(bearer, p);
        if (!byId.containsKey(i.id())) proven.remove(bearer); // revoked meanwhile
        return p;
    }

    public boolean revoke(String id, long nowMillis) {
        if (byId.remove(id) == null) return false;
        proven.values().removeIf(p -> p.tokenId().equals(id));
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE api_token SET revoked_at = :at WHERE id = :id")
                .bind("at", nowMillis).bind("id", id).execute());
        return true;
    }

    public TokenInfo get(String id) {
        Stored s = byId.get(id);
        return s == null ? null : s.info();
    }

    public List<TokenInfo> all() {
        return byId.values().stream().map(Stored::info).sorted(java.util.Comparator.comparing(TokenInfo::id)).toList();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token as listed: never its secret. */
    public record TokenInfo(String id, String user, Role role, String tenant, long createdAt) {}

    /** A newly made token with its secret, to show once. */
    public record Issued(TokenInfo info, String token) {}

    private record Stored(TokenInfo info, String hash) {}
}
