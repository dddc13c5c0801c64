package kr.nuri.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kr.nuri.config.NuriConfig;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.server.NuriServer;
import kr.nuri.server.ServerOptions;
import kr.nuri.server.api.FleetVisibility;
import kr.nuri.server.journal.Lease;
import kr.nuri.server.loop.LoopSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nuri serve}: the platform on a fleet, with a durable journal, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Nuri: the HTTP API on a fleet, every accepted request journaled before it is answered.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    FleetOption fleet;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--data", defaultValue = "nuri-data", description = "Directory of the embedded database (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--tick", defaultValue = "30", description = "Seconds between full scheduling passes, which refresh every waiting job's reason and estimated start and end expired walltimes (default: ${DEFAULT-VALUE}, like Slurm's bf_interval).")
    double tickSeconds;

    @Option(names = "--checkpoint-every", defaultValue = "50000", description = "Events between state-hash checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--snapshot-every", defaultValue = "200000", description = "Events between snapshots; a restart replays at most this many (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;


    @Option(names = "--check", defaultValue = "OFF", description = "Invariant checks: OFF, CHEAP or FULL (default: ${DEFAULT-VALUE}).")
    AssertionLevel check;

    @Option(names = "--token-days", defaultValue = "90", description = "How long a token works unless its maker says otherwise "
            + "(default: ${DEFAULT-VALUE} days). When every operator token has expired, a start makes a new one and prints it once.")
    int tokenDays;

    @Option(names = "--fleet-visibility", defaultValue = "usable", paramLabel = "owner|usable|open",
            description = "What of the fleet users and tenant admins see (operators and programme managers see all): owner = nodes and pools of "
                    + "their own organisation; usable = those, and the pools their projects may borrow from, aggregated; open = every node "
                    + "(default: ${DEFAULT-VALUE}).")
    String fleetVisibility;

    @Override
    public Integer call() throws InterruptedException {
        FleetVisibility visibility = FleetVisibility.parse("--fleet-visibility", fleetVisibility);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port " + port + " is not a port. Maybe 8080?");
        if (tickSeconds < 0.1) throw new IllegalArgumentException("--tick " + tickSeconds + " is too short. Maybe 5?");
        if (tokenDays < 1 || tokenDays > 3_650) throw new IllegalArgumentException("--token-days " + tokenDays + " is outside 1..3650. Maybe 90?");
        NuriConfig config = fleet.load();
        Fleet f = config.engine().fleet();
        System.out.printf("Nuri %s: fleet %s, %,d GPUs in %,d nodes, %d tenants%n", kr.nuri.server.Version.get(), f.name(),
                f.totalGpus(), f.nodeCount(), config.engine().tenants().size());
        ServerOptions options = new ServerOptions(config, host, port, db.url(), db.user(), db.password(),
                data, new LoopSettings(Math.round(tickSeconds * 1000), checkpointEvery, snapshotEvery, 100_000, 5_000), check, 15_000,
                tokenDays * 86_400_000L).withVisibility(visibility);
        NuriServer server;
        try {
            server = NuriServer.start(options);
        } catch (Lease.LeaseHeldException e) {
            System.err.println("nuri serve: " + e.getMessage());
            return 3;
        }
        if (server.imported() != null) {
            var i = server.imported();
            System.out.printf("found the H2 store an earlier Nuri wrote (%s): imported its %,d events into SQLite (%d from its write-ahead file), "
                    + "state hash %016x verified at %d checkpoints; the H2 files are kept: delete them once you no longer want them%n",
                    i.from(), i.events(), i.rowsFromWriteAheadFile(), i.stateHash(), i.checkpointsVerified());
        }
        NuriServer.Recovery r = server.recovery();
        System.out.printf("journal: %s; recovered %s%,d events in %.1f s, state hash %016x verified at %d checkpoints%n",
                options.embedded() ? "embedded SQLite in " + data.toAbsolutePath().resolve("nuri.db") : options.dbUrl(),
                r.snapshotSeq() > 0 ? "the snapshot at event " + r.snapshotSeq() + " and " : "", r.events(), r.millis() / 1000.0,
                r.stateHash(), r.checkpointsVerified());
        if (server.firstToken() != null) {
            System.out.println("first operator token (shown once" + (options.embedded() ? "; also in " + data.resolve("operator-token") : "") + "):");
            System.out.println("  export NURI_URL=" + server.url() + " NURI_TOKEN=" + server.firstToken());
        }
        System.out.println("listening on " + server.url() + "  (API /api/v1, OpenAPI /openapi.json, metrics /metrics)");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.printf("stopped; journal written, state hash %016x%n", server.stateHash());
            System.out.flush();
            stopped.countDown();
        }, "nuri-shutdown"));
        Throwable fault = server.loop().stopped().join(); // null: stopped by the shutdown hook (SIGTERM)
        if (fault != null) {
            // Memory may hold more than the journal: exit, so that a supervisor restarts it and recovery rebuilds the truth.
            System.err.println("nuri serve: the engine stopped: " + fault.getMessage()
                    + ". Nothing unjournaled was answered; start nuri serve again to recover from the journal.");
            return 70;
        }
        stopped.await();
        return 0;
    }
}
