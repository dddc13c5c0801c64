package kr.nuri.server.journal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The writer lease: one row that says which process may append to the journal, until when. A second
 * {@code nuri serve} on the same database finds it held and refuses to start, so two schedulers never
 * decide at once. Every journal append renews it in the same transaction (and fails if it was lost),
 * which fences out a writer that was paused past its lease.
 */
public final class Lease {
    public static final String NAME = "writer";
    private final Database db;
    private final String holder;
    private final long ttlMillis;

    public Lease(Database db, long ttlMillis) {
        this.db = db;
        this.holder = host() + ":" + ProcessHandle.current().pid() + ":" + ManagementFactory.getRuntimeMXBean().getStartTime()
                + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
        this.ttlMillis = ttlMillis;
    }

    public String holder() { return holder; }

    /** Takes the lease or throws {@link LeaseHeldException} naming who holds it. */
    public void acquire(long nowMillis) {
        db.jdbi().useTransaction(h -> {
            Optional<Holder> current = h.createQuery("SELECT holder, expires_at FROM lease WHERE name = :n" + db.forUpdate())
                    .bind("n", NAME).map((rs, ctx) -> new Holder(rs.getString(1), rs.getLong(2))).findOne();
            if (current.isEmpty()) {
                h.createUpdate("INSERT INTO lease (name, holder, expires_at) VALUES (:n, :h, :e)")
                        .bind("n", NAME).bind("h", holder).bind("e", nowMillis + ttlMillis).execute();
                return;
            }
            Holder c = current.get();
            if (c.expiresAt() > nowMillis && !c.holder().equals(holder) && !deadOnThisHost(c.holder())) {
                throw new LeaseHeldException("another nuri serve (" + c.holder() + ") is the writer of this database until "
                        + java.time.Instant.ofEpochMilli(c.expiresAt()) + ". Two schedulers must never decide at once: "
                        + "stop that one, or wait for its lease to expire if it died on another machine.");
            }
            h.createUpdate("UPDATE lease SET holder = :h, expires_at = :e WHERE name = :n")
                    .bind("n", NAME).bind("h", holder).bind("e", nowMillis + ttlMillis).execute();
        });
    }

    /** Renews inside the caller's transaction; false if another process took the lease. */
    public boolean renew(Handle h, long nowMillis) {
        return h.createUpdate("UPDATE lease SET expires_at = :e WHERE name = :n AND holder = :h")
                .bind("n", NAME).bind("h", holder).bind("e", nowMillis + ttlMillis).execute() == 1;
    }

    public boolean renew(long nowMillis) {
        return db.jdbi().inTransaction(h -> renew(h, nowMillis));
    }

    /** Gives the lease up on a clean shutdown, so the next start need not wait. */
    public void release() {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM lease WHERE name = :n AND holder = :h")
                .bind("n", NAME).bind("h", holder).execute());
    }

    /** A holder on this very host whose process is gone (killed) does not block a restart. */
    private static boolean deadOnThisHost(String other) {
        String[] parts = other.split(":");
        if (parts.length < 3 || !parts[0].equals(host())) return false;
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            return ProcessHandle.of(pid)
                    .map(p -> p.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - started) > 2_000).orElse(false))
                    .orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    private record Holder(String holder, long expiresAt) {}

    /** Another live process holds the lease. */
    public static final class LeaseHeldException extends RuntimeException {
        public LeaseHeldException(String message) {
            super(message);
        }
    }
}
