package kr.nuri.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.server.api.ApiServer;
import kr.nuri.server.api.ServerMetrics;
import kr.nuri.server.auth.Role;
import kr.nuri.server.auth.TokenStore;
import kr.nuri.server.journal.Database;
import kr.nuri.server.journal.AuditLog;
import kr.nuri.server.journal.EventCodec;
import kr.nuri.server.journal.FleetIdentity;
import kr.nuri.server.journal.Journal;
import kr.nuri.server.journal.Lease;
import kr.nuri.server.journal.legacy.H2Import;
import kr.nuri.server.journal.SnapshotStore;
import kr.nuri.server.loop.EngineLoop;
import kr.nuri.server.loop.EventObserver;
import kr.nuri.server.usage.UsageLedger;
import kr.nuri.core.execution.VirtualExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nuri serve}: opens the store, takes the writer lease, recovers the engine from the journal
 * (verifying the state hash at every checkpoint), then serves the API. Composition only; each part lives
 * in its own package.
 */
public final class NuriServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NuriServer.class);
    private final Database db;
    private final Lease lease;
    private final EngineLoop loop;
    private final ServerSnapshots snapshots;
    private final Engine engine;
    private final ApiServer api;
    private final Recovery recovery;
    private final String firstToken;
    private final String url;
    private final H2Import.Summary imported;
    private final kr.nuri.server.exec.Executions executions;

    private NuriServer(Database db, Lease lease, Engine engine, EngineLoop loop, ApiServer api, ServerSnapshots snapshots,
                       Recovery recovery, String firstToken, String url, H2Import.Summary imported,
                       kr.nuri.server.exec.Executions executions) {
        this.executions = executions;
        this.imported = imported;
        this.engine = engine;
        this.snapshots = snapshots;
        this.db = db;
        this.lease = lease;
        this.loop = loop;
        this.api = api;
        this.recovery = recovery;
        this.firstToken = firstToken;
        this.url = url;
    }

    /**
     * What recovery found: the snapshot it started from (0 = none), events replayed after it, checkpoints
     * verified, time taken, the final state hash.
     */
    public record Recovery(long snapshotSeq, long events, int checkpointsVerified, long millis, long stateHash) {}

    public static NuriServer start(ServerOptions o) {
        return start(o, System::currentTimeMillis);
    }

    /** A start on another clock (epoch milliseconds): tests that open a store written at a known time. */
    static NuriServer start(ServerOptions o, LongSupplier clock) {
        String dbUrl = o.embedded() ? Database.embeddedUrl(o.dataDir()) : o.dbUrl();
        Database db = Database.open(dbUrl, o.dbUser(), o.dbPassword());
        H2Import.Summary imported = null;
        Lease acquired = null;
        try {
            Lease lease = new Lease(db, o.leaseTtlMillis());
            lease.acquire(clock.getAsLong());
            acquired = lease;
            JsonMapper json = Json.mapper();
            if (o.embedded() && H2Import.due(o.dataDir(), db)) {
                // An earlier Nuri's H2 store: never start empty beside it. Its journal comes over, verified; its files stay.
                // Its rows hold positions in this fleet file (that build refused another node count).
                imported = H2Import.run(o.dataDir(), db, EventCodec.format1(json, FleetIdentity.of(o.config().engine())), o.config().engine());
            } else if (o.embedded() && Files.exists(H2Import.h2File(o.dataDir()))) {
                log.info("{} is the H2 store an earlier Nuri wrote; its journal was imported into {}. Delete it (and nuri.wal*) "
                        + "once you no longer want it.", H2Import.h2File(o.dataDir()), dbUrl);
            }
            checkFleetName(db, o);
            AuditLog audit = new AuditLog(db);
            Identities identities = Identities.open(db, json, o.config().engine(), o.config().source());
            EventCodec codec = identities.codec;
            Journal journal = new Journal(db, codec, lease);
            Tenancy tenancy = Tenancy.open(db, json, o.config().engine());
            Engine engine = new Engine(tenancy.engineConfig(o.config().engine()).withAssertions(o.assertions()));
            UsageLedger ledger = new UsageLedger();
            ServerMetrics metrics = new ServerMetrics();
            kr.nuri.server.exec.SiteMetrics siteMetrics = new kr.nuri.server.exec.SiteMetrics(metrics.registry());
            // The journal's epoch (its first start, epoch seconds) tags every run a site executes: a site's jobs of another
            // journal (a database started afresh against the same Slurm) are never taken for this one's.
            if (db.meta("epoch") == null) db.setMeta("epoch", Long.toString(clock.getAsLong() / 1000));
            long epoch = Long.parseLong(db.meta("epoch"));
            kr.nuri.server.exec.Executions executions = kr.nuri.server.exec.Executions.of(o.config(), json, clock, audit, siteMetrics, epoch);
            // A job without a runtime runs until a client ends it; a job at a site with a cluster manager, until the site says.
            VirtualExecution execution = new VirtualExecution(0, false).only(j -> !executions.executesElsewhere(j, engine));
            List<EventObserver> observers = List.of(ledger, execution::observe);
            SnapshotStore snapshots = new SnapshotStore(db, json);
            Recovery recovery = recover(journal, snapshots, engine, ledger, execution, observers, identities);
            Tenancy.Decided changes = tenancy.decide(engine, audit, clock.getAsLong());
            // The journal's format and fleet are recorded before anything new is appended: rows written after are of format 2.
            identities.commit(db, audit, o.config().source(), clock.getAsLong());
            changes.append(journal, engine, observers, clock.getAsLong());
            tenancy.commit();
            TokenStore tokens = new TokenStore(db, clock, o.tokenTtlMillis());
            String firstToken = null;
            if (!tokens.hasLiveOperator()) {
                // A first start, or every operator token has expired: without one nobody could make tokens again.
                if (!tokens.isEmpty()) log.warn("no operator token works any more (all expired); a new one is made and shown once");
                firstToken = tokens.issue("operator", Role.OPERATOR, null, clock.getAsLong(), o.tokenTtlMillis()).token();
                if (o.embedded()) writeToken(o.dataDir().resolve("operator-token"), firstToken);
            }
            ServerSnapshots snapshotter = new ServerSnapshots(engine, ledger, snapshots, identities.now.orderHash());
            EngineLoop loop = new EngineLoop(engine, journal, clock, observers, execution, o.loop(), metrics, snapshotter);
            ApiServer api = new ApiServer(loop, json, () -> engine.state().tenants(), tokens, ledger, codec, metrics, clock,
                    loop::eventsAssigned, Version.get(), audit, executions, journal, o.visibility());
            loop.subscribe(executions);
            executions.start(loop, engine); // reconciles each site with the runs the journal says are running there
            loop.start(journal.nextSeq() - 1 - recovery.snapshotSeq());
            try {
                api.start(o.host(), o.port());
            } catch (RuntimeException e) {
                loop.close();
                executions.close();
                snapshotter.close();
                lease.release();
                throw new IllegalStateException("cannot listen on " + o.host() + ":" + o.port() + " (" + e.getMessage()
                        + "). Maybe another program uses that port: try --port 0 for a free one.", e);
            }
            String url = "http://" + (o.host().equals("0.0.0.0") ? "127.0.0.1" : o.host()) + ":" + api.port();
            return new NuriServer(db, lease, engine, loop, api, snapshotter, recovery, firstToken, url, imported, executions);
        } catch (RuntimeException e) {
            if (acquired != null) {
                try {
                    acquired.release(); // a refused start must not keep the next one waiting for the lease to expire
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
            }
            db.close();
            throw e;
        }
    }

    /**
     * One database holds one fleet's journal. Within it, nodes, models and tenants may come and go between starts
     * ({@link Identities}), but another fleet's name means the wrong database or the wrong file.
     */
    private static void checkFleetName(Database db, ServerOptions o) {
        Fleet f = o.config().engine().fleet();
        String stored = db.meta("fleet");
        String storedName = stored == null ? null : stored.split("/")[0];
        if (storedName != null && !storedName.equals(f.name())) {
            throw new IllegalStateException("this database holds the journal of fleet " + storedName + ", but the server was started with "
                    + f.name() + " (" + o.config().source() + "). Maybe --fleet " + storedName + ", or a new --db?");
        }
        String now = f.name() + "/" + f.nodeCount() + " nodes/" + f.totalGpus() + " GPUs/" + o.config().engine().tenants().size() + " tenants";
        if (!now.equals(stored)) db.setMeta("fleet", now);
    }

    private static Recovery recover(Journal journal, SnapshotStore snapshots, Engine engine, UsageLedger ledger,
                                    VirtualExecution execution, List<EventObserver> observers, Identities identities) {
        long t0 = System.nanoTime();
        long from = 1;
        long snapshotSeq = 0;
        Optional<SnapshotStore.Stored<ServerSnapshots.Body>> latest = Optional.empty();
        try {
            latest = snapshots.latest(ServerSnapshots.Body.class);
        } catch (RuntimeException e) {
            log.warn("the latest snapshot cannot be read ({}); replaying the whole journal", e.toString());
        }
        long journalEnd = journal.nextSeq() - 1;
        if (latest.isPresent() && latest.get().seq() > journalEnd) {
            // A snapshot is written only after the events before it are durable, so this means the database lost
            // journal rows it had acknowledged. Starting from the snapshot would give new events positions the
            // snapshot already covers, and a later restart would skip them: use the journal, which is the truth.
            log.error("the snapshot at event {} is ahead of the journal, which ends at event {}: the database lost "
                    + "acknowledged events. Replaying the journal instead and dropping the snapshots beyond it.", latest.get().seq(), journalEnd);
            snapshots.dropAfter(journalEnd);
            latest = Optional.empty();
        }
        if (latest.isPresent() && !usable(latest.get(), identities)) {
            log.info("the snapshot at event {} was taken on a fleet whose nodes, models or tenants stood elsewhere or differed; "
                    + "replaying the journal, which names them, instead", latest.get().seq());
            latest = Optional.empty();
        }
        if (latest.isPresent()) {
            SnapshotStore.Stored<ServerSnapshots.Body> s = latest.get();
            engine.restore(s.body().engine());
            identities.codec.follow(s.body().engine()); // the tenants and blocks created before the snapshot, whose rows it skips
            long restored = identities.recordedAt(s.seq()) == Identities.Hash.POSITIONAL ? engine.positionalStateHash() : engine.stateHash();
            if (restored != s.stateHash()) {
                throw new IllegalStateException("the snapshot at event " + s.seq() + " restores to state hash "
                        + Long.toHexString(restored) + ", but " + Long.toHexString(s.stateHash()) + " was recorded with it. "
                        + "Maybe it was written by another version of Nuri? Delete it (DELETE FROM snapshot) to replay the journal instead.");
            }
            ledger.restore(s.body().ledger());
            execution.rebuild(engine);
            from = s.seq() + 1;
            snapshotSeq = s.seq();
        }
        Map<Long, Long> checkpoints = new HashMap<>();
        journal.checkpoints(c -> checkpoints.put(c[0], c[1]));
        long[] count = {0};
        int[] verified = {0};
        int[] notComparable = {0};
        long[] nextExpected = {from};
        try {
            journal.readFrom(from, (seq, event) -> {
                if (seq != nextExpected[0]) {
                    throw new IllegalStateException("the journal has no event " + nextExpected[0] + (seq > nextExpected[0] + 1 ? ".." + (seq - 1) : "")
                            + " but goes on at event " + seq + ": the database lost rows it had acknowledged. Refusing to serve a state "
                            + "that misses them; restore the database from a backup.");
                }
                nextExpected[0] = seq + 1;
                engine.replay(event);
                for (EventObserver o : observers) o.observe(event, engine);
                count[0]++;
                Long expected = checkpoints.get(seq);
                Identities.Hash recorded = expected == null ? null : identities.recordedAt(seq);
                if (recorded == Identities.Hash.NOT_COMPARABLE) {
                    notComparable[0]++;
                } else if (recorded != null) {
                    long actual = recorded == Identities.Hash.POSITIONAL ? engine.positionalStateHash() : engine.stateHash();
                    if (actual != expected) {
                        throw new IllegalStateException("replaying the journal gave state hash " + Long.toHexString(actual) + " at event "
                                + seq + " where the running server recorded " + Long.toHexString(expected)
                                + ". The journal and this version of the engine disagree (or the fleet file's quotas, awards or scheduler "
                                + "settings changed since); refusing to serve a state that differs.");
                    }
                    verified[0]++;
                }
            });
        } catch (EventCodec.UnknownName e) {
            throw new IllegalStateException(gone(e, journal), e);
        } catch (EventCodec.OwnerChanged e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (notComparable[0] > 0) {
            log.info("{} checkpoints were recorded on a fleet with other nodes, models or tenants (or in other positions, for journal "
                    + "rows of format 1) and were not compared", notComparable[0]);
        }
        long hash = engine.stateHash();
        return new Recovery(snapshotSeq, count[0], verified[0], (System.nanoTime() - t0) / 1_000_000, hash);
    }

    private static boolean usable(SnapshotStore.Stored<ServerSnapshots.Body> s, Identities identities) {
        long identity = s.body().identity();
        if (identity == 0) return s.seq() <= identities.legacyEnd && identities.recordedAt(s.seq()) == Identities.Hash.POSITIONAL;
        return identity == identities.now.orderHash() && identities.recordedAt(s.seq()) == Identities.Hash.STABLE;
    }

    /** The refusal when the journal refers to what the fleet file no longer has: which, where, and whether a job still holds it. */
    private static String gone(EventCodec.UnknownName e, Journal journal) {
        StringBuilder m = new StringBuilder("the fleet file has no " + e.field + " '" + e.name + "', but the journal refers to it (event " + e.seq);
        if (e.jobId != null) {
            long[] ended = {0};
            journal.readKinds(e.seq + 1, "JobEnded", (seq, body) -> {
                if (ended[0] == 0 && body.contains("\"jobId\":\"" + e.jobId + "\"")) ended[0] = seq;
            });
            boolean node = e.field.equals("node");
            m.append(": ").append(e.jobId).append(ended[0] == 0 ? (node ? " runs on it" : " has not ended")
                    : (node ? " ran on it until event " : " ended at event ") + ended[0]);
        }
        m.append("). Refusing to start on a fleet that would move or lose it. Put the ").append(e.field)
                .append(" back in the file");
        if (e.field.equals("tenant")) m.append(" (its jobs, awards and quotas are in the journal; retire it instead: POST /api/v1/tenants/")
                .append(e.name).append("/retire)");
        if (e.field.equals("node")) {
            m.append(" (drained: POST /api/v1/nodes/").append(e.name).append("/drain, so nothing new starts there); a node a job "
                    + "has run on stays in the fleet file for now");
        }
        return m.append('.').toString();
    }

    private static void writeToken(Path file, String token) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, token + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the file is as private as its directory
            }
        } catch (java.io.IOException e) {
            log.warn("could not write the first operator token to {}: {}", file, e.getMessage());
        }
    }

    public String url() { return url; }

    public Recovery recovery() { return recovery; }

    /** What this start imported from an earlier Nuri's H2 store; null when it imported nothing. */
    public H2Import.Summary imported() { return imported; }

    /** The first operator token, when this start made it (an empty token table); null otherwise. */
    public String firstToken() { return firstToken; }

    public ApiServer api() { return api; }

    /** The engine loop: {@link EngineLoop#stopped()} tells when it stops on its own. */
    public EngineLoop loop() { return loop; }

    /** The engine's state hash; after {@link #close()}, that of the state the journal holds. */
    public long stateHash() {
        return engine.stateHash();
    }


    @Override
    public void close() {
        api.close();
        executions.close();
        loop.close();
        snapshots.close();
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.warn("could not release the writer lease: {}", e.getMessage());
        }
        db.close();
    }
}
