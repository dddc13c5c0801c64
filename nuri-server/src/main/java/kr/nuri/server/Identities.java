package kr.nuri.server;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.server.journal.AuditLog;
import kr.nuri.server.journal.Database;
import kr.nuri.server.journal.EventCodec;
import kr.nuri.server.journal.FleetIdentity;
import kr.nuri.server.journal.IdentityStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the store's journal refers to, against the fleet file this start was given. The journal names nodes, models and
 * tenants (format 2), so a reordered file changes nothing. A file that adds or removes names is reported as the changes
 * it makes (logged and audited); the hashes recorded before such a change (checkpoints, snapshots) describe another
 * fleet and are not compared. A journal of format 1, which stored positions, is read through the fleet it was first
 * found with.
 */
final class Identities {
    private static final Logger log = LoggerFactory.getLogger(Identities.class);
    static final String FORMAT = "journal.format";
    static final String FORMAT1_END = "journal.format1-end";
    static final String SET_FROM = "fleet.identity-from";

    final FleetIdentity now;
    final FleetIdentity format1;
    final long legacyEnd;
    /** The first journal position written on a fleet holding exactly the names this one holds. */
    final long setFrom;
    final EventCodec codec;
    /** What changed since the last start, one line each; empty when nothing did. */
    final List<String> changes;

    private final boolean upgrade;
    private final FleetIdentity last;

    private Identities(FleetIdentity now, FleetIdentity format1, long legacyEnd, long setFrom, EventCodec codec, List<String> changes,
                       boolean upgrade, FleetIdentity last) {
        this.upgrade = upgrade;
        this.last = last;
        this.now = now;
        this.format1 = format1;
        this.legacyEnd = legacyEnd;
        this.setFrom = setFrom;
        this.codec = codec;
        this.changes = changes;
    }

    /** The hash a checkpoint or snapshot at a journal position was recorded with, as this start can compare it. */
    enum Hash { STABLE, POSITIONAL, NOT_COMPARABLE }

    /** What this start finds; nothing is written until {@link #commit} (a start refused during recovery leaves no trace). */
    static Identities open(Database db, JsonMapper json, EngineConfig config, String source) {
        FleetIdentity now = FleetIdentity.of(config);
        IdentityStore store = new IdentityStore(db);
        long journalEnd = db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM journal").mapTo(Long.class).one());
        long legacyEnd;
        FleetIdentity format1;
        boolean upgrade = db.meta(FORMAT) == null;
        if (upgrade) {
            // Written by a build that journaled positions (or nothing yet): they mean the fleet as it is now (that build
            // refused another node count, and nothing recorded a reorder). From here on, rows name what they refer to.
            legacyEnd = journalEnd;
            format1 = journalEnd > 0 ? now : null;
        } else {
            if (Integer.parseInt(db.meta(FORMAT)) > EventCodec.FORMAT) {
                throw new IllegalStateException("this database's journal is of format " + db.meta(FORMAT) + ", newer than this build reads ("
                        + EventCodec.FORMAT + "). Maybe run the newer Nuri that wrote it?");
            }
            legacyEnd = db.meta(FORMAT1_END) == null ? 0 : Long.parseLong(db.meta(FORMAT1_END));
            format1 = legacyEnd > 0 ? store.load(IdentityStore.FORMAT1) : null;
        }
        EventCodec codec = new EventCodec(json, now).withPools(config);
        if (legacyEnd > 0) codec = codec.withLegacy(legacyEnd, format1);

        FleetIdentity last = store.load(IdentityStore.LAST);
        List<String> changes = new ArrayList<>();
        long setFrom = db.meta(SET_FROM) == null ? 1 : Long.parseLong(db.meta(SET_FROM));
        if (last != null && last.setHash() != now.setHash()) {
            changes.addAll(describe(last, now, source));
            setFrom = journalEnd + 1;
        }
        return new Identities(now, format1, legacyEnd, setFrom, codec, changes, upgrade, last);
    }

    /** Records what {@link #open} found, once the journal has been read under it: the format, the fleet, its changes (logged and audited). */
    void commit(Database db, AuditLog audit, String source, long nowMillis) {
        IdentityStore store = new IdentityStore(db);
        if (upgrade) {
            if (legacyEnd > 0) {
                store.save(IdentityStore.FORMAT1, format1);
                db.setMeta(FORMAT1_END, Long.toString(legacyEnd));
                log.info("the journal's events 1..{} are of format 1 (positions in the fleet file); they are read through {} as it is now, "
                        + "and new events name their nodes, models and tenants", legacyEnd, source);
            }
            db.setMeta(FORMAT, Integer.toString(EventCodec.FORMAT));
        }
        if (last != null && last.sameOrder(now)) return;
        if (!changes.isEmpty()) {
            db.setMeta(SET_FROM, Long.toString(setFrom));
            for (String c : changes) {
                log.info("fleet file change: {}", c);
                audit.record(audit.entry(nowMillis, "fleet-file", "OPERATOR", null, "fleet.change", source, null, c));
            }
        } else if (last != null) {
            log.info("{} lists the same nodes, models and tenants as the last start in another order; nothing moves", source);
        }
        store.save(IdentityStore.LAST, now);
    }

    private static List<String> describe(FleetIdentity last, FleetIdentity now, String source) {
        List<String> lines = new ArrayList<>();
        for (FleetIdentity.Kind k : FleetIdentity.Kind.values()) {
            String kind = k.name().toLowerCase(java.util.Locale.ROOT);
            List<String> added = last.missing(now, k);
            List<String> removed = now.missing(last, k);
            if (!added.isEmpty()) lines.add(source + " adds " + count(added.size(), kind) + ": " + list(added));
            if (!removed.isEmpty()) lines.add(source + " no longer has " + count(removed.size(), kind) + ": " + list(removed));
        }
        return lines;
    }

    private static String count(int n, String kind) {
        return n + " " + kind + (n == 1 ? "" : "s");
    }

    private static String list(List<String> names) {
        int shown = Math.min(names.size(), 50);
        return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? " … and " + (names.size() - shown) + " more" : "");
    }

    /** How a hash recorded after journal position {@code seq} compares with this start's state. */
    Hash recordedAt(long seq) {
        if (seq <= legacyEnd) return format1.sameOrder(now) ? Hash.POSITIONAL : Hash.NOT_COMPARABLE;
        return seq >= setFrom ? Hash.STABLE : Hash.NOT_COMPARABLE;
    }
}
