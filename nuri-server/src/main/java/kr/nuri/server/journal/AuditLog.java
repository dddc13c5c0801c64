package kr.nuri.server.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * The audit trail: who did what, when, to what, and what it was before and after. Acts on the engine's state are
 * written in the transaction that journals their events ({@link Journal#append}); acts on tokens in their own.
 * Only one process writes (the writer lease), so ids are counted here.
 */
public final class AuditLog {
    private final Database db;
    private final AtomicLong nextId;

    public AuditLog(Database db) {
        this.db = db;
        this.nextId = new AtomicLong(db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM audit").mapTo(Long.class).one()) + 1);
    }

    /** One act. {@code at} in epoch milliseconds; {@code before}/{@code after} short text, null where nothing was. */
    public record Entry(long id, long at, String actor, String role, String token, String action, String target, String before, String after) {}

    /** An entry with the next id. */
    public Entry entry(long at, String actor, String role, String token, String action, String target, String before, String after) {
        return new Entry(nextId.getAndIncrement(), at, actor, role, token, action, target, clip(before), clip(after));
    }

    private static String clip(String s) {
        return s == null || s.length() <= 4_000 ? s : s.substring(0, 3_999) + "…";
    }

    /** Writes entries in the caller's transaction. */
    static void insert(Handle h, List<Entry> entries) {
        if (entries.isEmpty()) return;
        var batch = h.prepareBatch("INSERT INTO audit (id, at, actor, role, token, action, target, before_value, after_value) "
                + "VALUES (:id, :at, :actor, :role, :token, :action, :target, :before, :after)");
        for (Entry e : entries) {
            batch.bind("id", e.id()).bind("at", e.at()).bind("actor", e.actor()).bind("role", e.role()).bind("token", e.token())
                    .bind("action", e.action()).bind("target", e.target()).bind("before", e.before()).bind("after", e.after()).add();
        }
        batch.execute();
    }

    /** Writes one entry now, in a transaction of its own (acts outside the engine: tokens). */
    public void record(Entry e) {
        db.jdbi().useTransaction(h -> insert(h, List.of(e)));
    }

    /** The newest entry of one of {@code actions} whose target starts with {@code targetPrefix}, or null. */
    public Entry latest(String targetPrefix, List<String> actions) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, at, actor, role, token, action, target, before_value, after_value FROM audit "
                        + "WHERE target LIKE :target ESCAPE '!' AND action IN (<actions>) ORDER BY id DESC LIMIT 1")
                .bind("target", targetPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%").bindList("actions", actions)
                .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9))).findOne().orElse(null));
    }

    /** Entries in [from, to) (epoch ms), newest first, filtered by actor and action prefix when given. */
    public List<Entry> list(long from, long to, String actor, String actionPrefix, int limit) {
        return db.jdbi().withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT id, at, actor, role, token, action, target, before_value, after_value FROM audit "
                    + "WHERE at >= :from AND at < :to");
            if (actor != null) sql.append(" AND actor = :actor");
            if (actionPrefix != null) sql.append(" AND action LIKE :action");
            sql.append(" ORDER BY id DESC LIMIT :limit");
            var q = h.createQuery(sql.toString()).bind("from", from).bind("to", to).bind("limit", limit);
            if (actor != null) q.bind("actor", actor);
            if (actionPrefix != null) q.bind("action", actionPrefix.replace("%", "") + "%");
            return new ArrayList<>(q.map((rs, ctx) -> new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9))).list());
        });
    }
}
