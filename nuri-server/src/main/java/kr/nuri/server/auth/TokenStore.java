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
 * Checked from memory; the database is the store. A token expires ({@link #DEFAULT_TTL_MILLIS} after it is made
 * unless its maker says otherwise); its last use is recorded to the hour; the last operator token that still works
 * cannot be revoked (nobody could then make another).
 */
public final class TokenStore {
    private static final String PREFIX = "nuri_";
    /** 90 days. */
    public static final long DEFAULT_TTL_MILLIS = 90L * 86_400_000L;
    private static final long LAST_USE_GRAIN_MILLIS = 3_600_000L;
    private final Database db;
    private final java.util.function.LongSupplier clockMillis;
    private final long defaultTtlMillis;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Stored> byId = new ConcurrentHashMap<>();
    /** Bearer strings already proven, so a busy client is not hashed on every request; cleared on revoke. */
    private final Map<String, Principal> proven = new ConcurrentHashMap<>();
    private static final int MAX_PROVEN = 100_000;

    /**
     * Loads the tokens not revoked. Tokens made before expiry existed get one now: {@code defaultTtlMillis} from now
     * (so that an upgrade locks nobody out).
     */
    public TokenStore(Database db, java.util.function.LongSupplier clockMillis, long defaultTtlMillis) {
        this.db = db;
        this.clockMillis = clockMillis;
        this.defaultTtlMillis = defaultTtlMillis;
        long now = clockMillis.getAsLong();
        db.jdbi().useTransaction(h -> h.createUpdate("UPDATE api_token SET expires_at = :e WHERE expires_at IS NULL")
                .bind("e", now + defaultTtlMillis).execute());
        db.jdbi().useHandle(h -> h.createQuery(
                        "SELECT id, secret_hash, role, tenant, user_name, created_at, expires_at, last_used_at FROM api_token WHERE revoked_at IS NULL")
                .map((rs, ctx) -> new Stored(new TokenInfo(rs.getString(1), rs.getString(5), Role.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getLong(6), rs.getLong(7)), rs.getString(2), new java.util.concurrent.atomic.AtomicLong(rs.getLong(8))))
                .forEach(s -> byId.put(s.info().id(), s)));
    }

    public boolean isEmpty() { return byId.isEmpty(); }

    /** How long a token works unless its maker says otherwise. */
    public long defaultTtlMillis() { return defaultTtlMillis; }

    /** Whether an operator token that has not expired exists: without one, nobody can make tokens. */
    public boolean hasLiveOperator() {
        long now = clockMillis.getAsLong();
        return byId.values().stream().anyMatch(s -> s.info().role() == Role.OPERATOR && s.info().expiresAt() > now);
    }

    /** Creates a token valid for {@code ttlMillis} and returns its secret form; the only time the secret exists outside the caller. */
    public Issued issue(String user, Role role, String tenant, long nowMillis, long ttlMillis) {
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = sha256(secretText);
        long expires = nowMillis + ttlMillis;
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO api_token (id, secret_hash, role, tenant, user_name, created_at, expires_at) "
                        + "VALUES (:id, :hash, :role, :tenant, :user, :at, :exp)")
                .bind("id", id).bind("hash", hash).bind("role", role.name()).bind("tenant", tenant)
                .bind("user", user).bind("at", nowMillis).bind("exp", expires).execute());
        TokenInfo info = new TokenInfo(id, user, role, tenant, nowMillis, expires);
        byId.put(id, new Stored(info, hash, new java.util.concurrent.atomic.AtomicLong()));
        return new Issued(info, PREFIX + id + "_" + secretText);
    }

    /** The principal a bearer token stands for, or null if it is unknown, revoked, expired or malformed. */
    public Principal authenticate(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) return null;
        long now = clockMillis.getAsLong();
        int sep = bearer.indexOf('_', PREFIX.length());
        if (sep < 0) return null;
        Stored s = byId.get(bearer.substring(PREFIX.length(), sep));
        if (s == null || s.info().expiresAt() <= now) return null;
        Principal known = proven.get(bearer);
        if (known == null) {
            byte[] given = sha256(bearer.substring(sep + 1)).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(given, s.hash().getBytes(StandardCharsets.US_ASCII))) return null;
            TokenInfo i = s.info();
            known = new Principal(i.id(), i.user(), i.role(), i.tenant());
            if (proven.size() >= MAX_PROVEN) proven.clear();
            proven.put(bearer, known);
            if (!byId.containsKey(i.id())) {
                proven.remove(bearer); // revoked meanwhile
                return null;
            }
        }
        touch(s, now);
        return known;
    }

    /** Records a use, writing it at most once an hour per token. */
    private void touch(Stored s, long now) {
        long last = s.lastUsed().get();
        if (now - last < LAST_USE_GRAIN_MILLIS || !s.lastUsed().compareAndSet(last, now)) return;
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE api_token SET last_used_at = :t WHERE id = :id").bind("t", now).bind("id", s.info().id()).execute());
    }

    /**
     * Revokes a token; false if there is none. Refuses ({@link LastOperatorException}) the last operator token that
     * still works.
     */
    public boolean revoke(String id, long nowMillis) {
        Stored s = byId.get(id);
        if (s == null) return false;
        if (s.info().role() == Role.OPERATOR && s.info().expiresAt() > nowMillis && byId.values().stream()
                .noneMatch(o -> o != s && o.info().role() == Role.OPERATOR && o.info().expiresAt() > nowMillis)) {
            throw new LastOperatorException("token " + id + " is the last operator token that works; revoked, nobody could make "
                    + "another. Maybe make a new operator token first?");
        }
        byId.remove(id);
        proven.values().removeIf(p -> p.tokenId().equals(id));
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE api_token SET revoked_at = :at WHERE id = :id")
                .bind("at", nowMillis).bind("id", id).execute());
        return true;
    }

    public TokenInfo get(String id) {
        Stored s = byId.get(id);
        return s == null ? null : s.info();
    }

    /** When a token was last used (to the hour), 0 if never. */
    public long lastUsed(String id) {
        Stored s = byId.get(id);
        return s == null ? 0 : s.lastUsed().get();
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

    /** A token as listed: never its secret. Times in epoch milliseconds. */
    public record TokenInfo(String id, String user, Role role, String tenant, long createdAt, long expiresAt) {}

    /** A newly made token with its secret, to show once. */
    public record Issued(TokenInfo info, String token) {}

    private record Stored(TokenInfo info, String hash, java.util.concurrent.atomic.AtomicLong lastUsed) {}

    /** The last operator token that works may not be revoked. */
    public static final class LastOperatorException extends RuntimeException {
        public LastOperatorException(String message) {
            super(message);
        }
    }
}
