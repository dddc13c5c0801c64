package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.bench.ScheduleBenchmark;
import kr.nuri.config.NuriConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nuri bench ...}: benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {BenchCommand.Schedule.class, BenchCommand.Serve.class, BenchCommand.Dispatch.class, BenchCommand.Jmh.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code nuri bench schedule}. */
    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = {"Scheduling throughput on a full fleet with a pending backlog (churn), the p50/p99 of a full "
                    + "pass over the backlog, submit latency and heap. Last line: placements_per_s=<number>."})
    static final class Schedule implements Callable<Integer> {
        @Mixin
        FleetOption fleet;

        @Option(names = "--jobs", defaultValue = "1000000", description = "Jobs to start during churn (default: ${DEFAULT-VALUE}).")
        long jobs;

        @Option(names = "--backlog", defaultValue = "100000", description = "Pending jobs kept in the queue (default: ${DEFAULT-VALUE}).")
        int backlog;

        @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--passes", defaultValue = "20", description = "Full passes to time (default: ${DEFAULT-VALUE}).")
        int passes;

        @Override
        public Integer call() {
            if (jobs < 1) throw new IllegalArgumentException("--jobs " + jobs + ": must be at least 1");
            if (backlog < 1) throw new IllegalArgumentException("--backlog " + backlog + ": must be at least 1");
            if (passes < 1) throw new IllegalArgumentException("--passes " + passes + ": must be at least 1");
            NuriConfig config = fleet.load();
            System.out.printf("machine: %d cores, max heap %,d MiB, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
            new ScheduleBenchmark(config.engine(), new ScheduleBenchmark.Options(jobs, backlog, seed, passes), System.out,
                    System.console() != null).run();
            return 0;
        }
    }

    /** {@code nuri bench serve}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Submissions per second and p50/p99 latency over HTTP on loopback with the durable journal, "
                    + "on embedded SQLite (default) or PostgreSQL (--db). Last line: submissions_per_s=<number>."})
    static final class Serve implements Callable<Integer> {
        @Mixin
        FleetOption fleet;

        /** PostgreSQL (a schema is made and dropped) or, by default, embedded SQLite in a temporary directory. */
        @Mixin
        DatabaseOptions db;

        @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--tick", defaultValue = "30", description = "Seconds between full scheduling passes, as nuri serve (default: ${DEFAULT-VALUE}).")
        double tick;

        @Override
        public Integer call() throws Exception {
            if (clients < 1 || clients > 10_000) throw new IllegalArgumentException("--clients " + clients + ": must be 1 to 10000");
            if (seconds < 1 || warmup < 0) throw new IllegalArgumentException("--seconds must be at least 1 and --warmup at least 0");
            if (tick < 0.1) throw new IllegalArgumentException("--tick " + tick + " is too short. Maybe 30?");
            NuriConfig config = fleet.load();
            new kr.nuri.cli.bench.ServeBenchmark(config, new kr.nuri.cli.bench.ServeBenchmark.Options(db.url(), db.user(), db.password(),
                    clients, warmup, seconds, seed, Math.round(tick * 1000)), System.out).run();
            return 0;
        }
    }

    /** {@code nuri bench dispatch}. */
    @Command(name = "dispatch", mixinStandardHelpOptions = true,
            description = {"Nuri decides, a real Slurm runs: a seeded gang mix (70% 1-8 GPUs, 25% 16-512, 5% 1,024-4,096; sleep 1-3 s) "
                    + "submitted through Nuri's API to a nuri serve whose site is the Slurm of scripts/slurm-cluster.sh (start it first: "
                    + "scripts/slurm-cluster.sh start N). Prints job starts per second, the time to start all and GPU busy %, from "
                    + "Slurm's own records."})
    static final class Dispatch implements Callable<Integer> {
        @Option(names = "--nodes", defaultValue = "16", description = "Slurm nodes (8 GPUs each) Nuri schedules on (default: ${DEFAULT-VALUE}; "
                + "1024 works on a 24 GB host).")
        int nodes;

        @Option(names = "--jobs", defaultValue = "200", description = "Jobs of the mix (default: ${DEFAULT-VALUE}; 10000 for the full run).")
        int jobs;

        @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--poll", defaultValue = "0.5", description = "Seconds between Nuri's reads of Slurm's jobs (default: ${DEFAULT-VALUE}).")
        double poll;

        @Option(names = "--slurm-dir", defaultValue = "/tmp/nuri-slurm", description = "The cluster's scratch directory (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path slurmDir;

        @Override
        public Integer call() throws Exception {
            if (nodes < 1 || nodes > 4096) throw new IllegalArgumentException("--nodes " + nodes + ": must be 1 to 4096");
            if (jobs < 1 || jobs > 1_000_000) throw new IllegalArgumentException("--jobs " + jobs + ": must be 1 to 1000000");
            if (!(poll >= 0.1 && poll <= 60)) throw new IllegalArgumentException("--poll " + poll + ": must be 0.1 to 60 seconds");
            new kr.nuri.cli.bench.DispatchBenchmark(new kr.nuri.cli.bench.DispatchBenchmark.Options(slurmDir, nodes, jobs, seed, poll),
                    System.out).run();
            return 0;
        }
    }

    @Command(name = "jmh", mixinStandardHelpOptions = false,
            description = {"JMH benchmarks of the engine's hot paths on korea-2025 (kr.nuri.bench.jmh.HotPaths): a full pass over "
                    + "100,000 waiting jobs, a submission and its cancel, an inference gang's submission (start attempt and preemption search), a gang placement search.",
                    "The arguments are JMH's own, e.g. 'nuri bench jmh -f 1 -wi 2 -i 3 HotPaths.fullPass'; '-h' lists them."})
    static final class Jmh implements Callable<Integer> {
        @picocli.CommandLine.Unmatched
        java.util.List<String> args = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            java.util.List<String> a = new java.util.ArrayList<>(args);
            if (a.stream().noneMatch(x -> !x.startsWith("-") && x.contains("HotPaths"))) a.add("kr.nuri.bench.jmh.HotPaths");
            org.openjdk.jmh.Main.main(a.toArray(String[]::new));
            return 0;
        }
    }
}
