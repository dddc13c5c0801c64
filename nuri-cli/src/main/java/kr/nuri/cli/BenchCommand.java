package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.bench.ScheduleBenchmark;
import kr.nuri.config.FleetConfigReader;
import kr.nuri.config.NuriConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nuri bench ...}: benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {BenchCommand.Schedule.class})
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
        @Option(names = "--fleet", defaultValue = FleetConfigReader.DEFAULT_FLEET, paramLabel = "FILE|NAME",
                description = "Fleet YAML file or built-in name (default: ${DEFAULT-VALUE}).")
        String fleet;

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
            NuriConfig config = FleetConfigReader.load(fleet);
            System.out.printf("machine: %d cores, max heap %,d MiB, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
            new ScheduleBenchmark(config.engine(), new ScheduleBenchmark.Options(jobs, backlog, seed, passes), System.out,
                    System.console() != null).run();
            return 0;
        }
    }
}
