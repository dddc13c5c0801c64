package kr.nuri.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kr.nuri.config.NuriConfig;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.Simulation;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.workload.GavelWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** {@code nuri simulate}: the engine on a virtual clock with a synthetic workload; prints what it measured. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the scheduler on a virtual clock with a synthetic workload and print JCT, queueing delay, makespan, utilisation.")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    FleetOption fleet;

    @Option(names = "--workload", defaultValue = "gavel", description = "Workload generator: gavel (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--jobs", defaultValue = "10000", description = "Jobs to generate (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--load", defaultValue = "0.8", description = "Offered load as a share of the fleet's GPUs (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tick", defaultValue = "600", description = "Virtual seconds between full scheduling passes (default: ${DEFAULT-VALUE}).")
    long tick;

    @Option(names = "--out", description = "Directory for summary.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!workload.equals("gavel")) throw new IllegalArgumentException("--workload " + workload + " is not known. Maybe gavel?");
        if (jobs < 1) throw new IllegalArgumentException("--jobs " + jobs + ": must be at least 1");
        if (!(load > 0) || load > 10) throw new IllegalArgumentException("--load " + load + ": must be more than 0 and at most 10. Maybe 0.8?");
        if (tick < 1) throw new IllegalArgumentException("--tick " + tick + ": must be at least 1 second");
        NuriConfig config = fleet.load();
        List<String> projects = config.engine().projects();
        long gpus = config.engine().fleet().totalGpus();
        List<Arrival> arrivals = GavelWorkload.generate(jobs, load, gpus, projects, seed);
        long t0 = System.nanoTime();
        Summary s = new Simulation(config.engine(), tick).run(arrivals);
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d GPUs; workload gavel, %,d jobs, offered load %.2f, seed %d; simulated in %.1f s%n",
                config.engine().fleet().name(), gpus, jobs, load, seed, wall);
        System.out.printf("completed %,d of %,d jobs (%,d never started: no quota or node of their shape); makespan %s; "
                + "GPU utilisation %.1f%% over the makespan; preemptions %,d%n", s.completed(), s.jobs(), s.neverStarted(),
                hours(s.makespan()), 100 * s.utilisation(), s.preemptions());
        System.out.printf("JCT             mean %s  p50 %s  p95 %s  p99 %s%n", hours(Math.round(s.meanJct())), hours(s.p50Jct()),
                hours(s.p95Jct()), hours(s.p99Jct()));
        System.out.printf("queueing delay  mean %s  p50 %s  p95 %s  p99 %s%n", hours(Math.round(s.meanQueueingDelay())),
                hours(s.p50QueueingDelay()), hours(s.p95QueueingDelay()), hours(s.p99QueueingDelay()));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("summary.json"), JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(s));
            System.out.println("wrote " + out.resolve("summary.json"));
        }
        return 0;
    }

    private static String hours(long seconds) {
        return String.format("%.2f h", seconds / 3600.0);
    }
}
