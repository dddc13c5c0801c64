package kr.nuri.cli;

import kr.nuri.core.policy.QueueOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kr.nuri.config.NuriConfig;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.schedule.Policies;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.FailureModel;
import kr.nuri.sim.Progress;
import kr.nuri.sim.Simulation;
import kr.nuri.sim.experiment.EngineReport;
import kr.nuri.sim.experiment.Experiments;
import kr.nuri.sim.experiment.FgdOpenb;
import kr.nuri.sim.metrics.FleetFragmentation;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.sim.report.Report;
import kr.nuri.sim.report.ReportWriter;
import kr.nuri.sim.trace.NuriTrace;
import kr.nuri.sim.trace.WhatIf;
import kr.nuri.sim.workload.GavelWorkload;
import kr.nuri.sim.workload.NationalWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nuri simulate}: the engine on a virtual clock, with a workload, a trace or a named experiment. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the scheduler on a virtual clock and report JCT, queueing delay, utilisation, fragmentation, fairness.",
                "Experiments: fgd-openb (FGD paper's packing of Alibaba openb pods), philly-vc, philly-quota, national."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    FleetOption fleet;

    @Option(names = "--experiment", paramLabel = "NAME", description = "A named experiment (listed below).")
    String experiment;

    @Option(names = "--traces", paramLabel = "DIR", description = "Folder of the shared traces (default: $NURI_TRACES, else ../shared/traces).")
    Path traces;

    @Option(names = "--pods", defaultValue = "default", description = "fgd-openb: the openb pod list (default, multigpu50, gpuspec33, gpushare100, …; default: ${DEFAULT-VALUE}).")
    String pods;

    @Option(names = "--policies", split = ",", paramLabel = "NAME", description = "Policies to compare (default: all the experiment knows).")
    List<String> policies;

    @Option(names = "--seeds", paramLabel = "FROM..TO|LIST", description = "fgd-openb: shuffle seeds (default: 42..51).")
    String seeds;

    @Option(names = "--trace", paramLabel = "FILE", description = "Replay a trace in Nuri's format (CSV, or JSON lines as .jsonl; docs/traces.md) on the fleet.")
    Path trace;

    @Option(names = "--what-if", paramLabel = "FILE", description = "Changes (quota, dedicated capacity, budget) applied at a time: "
            + "runs with and without them and compares (docs/traces.md). With national, --trace or the gavel workload.")
    Path whatIf;

    @Option(names = "--workload", defaultValue = "gavel", description = "Workload generator without --experiment: gavel (default: ${DEFAULT-VALUE}).")
    String workload;

    int jobs = 10_000;
    boolean jobsGiven;

    @Option(names = "--jobs", paramLabel = "N", description = "Jobs to generate (default: 10000; national: 1000000).")
    void jobs(int n) {
        jobs = n;
        jobsGiven = true;
    }

    @Option(names = "--load", defaultValue = "0.8", description = "Offered load as a share of the fleet's GPUs (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tick", defaultValue = "600", description = "Virtual seconds between full scheduling passes (default: ${DEFAULT-VALUE}).")
    long tick;

    @Option(names = "--mtbf-hours", paramLabel = "H", description = "Node failures: mean time between failures per node, in hours "
            + "(e.g. 6300, about what Llama 3's training saw on H100 nodes); off when not given. With national, --trace or gavel.")
    Double mtbfHours;

    @Option(names = "--repair-hours", paramLabel = "H", defaultValue = "4", description = "Node failures: mean repair time in hours (default: ${DEFAULT-VALUE}).")
    double repairHours;

    @Option(names = "--failure-seed", paramLabel = "N", defaultValue = "1", description = "Node failures: seed of the failure draws (default: ${DEFAULT-VALUE}).")
    long failureSeed;

    @Option(names = "--checkpoint-minutes", paramLabel = "M", defaultValue = "60", description = "Jobs checkpoint every M minutes: a run ended "
            + "by a failure or preemption resumes from its last checkpoint; 0 = starts over (default: ${DEFAULT-VALUE}). With national, --trace or gavel.")
    long checkpointMinutes;

    @Option(names = "--queue-order", paramLabel = "NAME", description = "The engine's queue order for national, --trace and the gavel "
            + "workload: fair-share, fifo, sjf or srtf (default: the fleet file's, fair-share unless it says otherwise).")
    String queueOrder;

    @Option(names = "--placement", paramLabel = "NAME", description = "The engine's node placement policy for jobs asking for a GPU share, "
            + "CPU or memory, with national, --trace and the gavel workload: nuri, random, dotprod, clustering, packing, bestfit or fgd "
            + "(default: the fleet file's). fgd measures fragmentation against the fleet file's taskMix, else the run's own arrivals.")
    String placement;

    @Option(names = "--out", paramLabel = "DIR", description = "Write summary.json, CSVs and report.html here.")
    Path out;

    @Option(names = "--mix", defaultValue = "national", paramLabel = "national|stress", description = "national: the profile of the national "
            + "generator, national (the programmes' work) or stress (the benchmark's gang-heavy mix: 25%% gangs of 16-512 GPUs, 5%% of "
            + "1,024-8,192, preemptible scavengers; default: ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--speedup", paramLabel = "F", description = "philly-vc: arrivals F times as fast (submit times from the window's "
            + "start divided by F), so F times the offered load on the same clusters; durations unchanged (default: 1).")
    Double speedup;

    /** --speedup, checked: only philly-vc takes it. */
    private double speedup() {
        if (speedup == null) return 1;
        if (!"philly-vc".equals(experiment)) throw new IllegalArgumentException("--speedup is for --experiment philly-vc only");
        if (!(speedup >= 0.01 && speedup <= 1000)) throw new IllegalArgumentException("--speedup " + speedup + " is outside 0.01..1000. Maybe 4?");
        return speedup;
    }

    @Override
    public Integer call() throws Exception {
        Progress progress = TerminalProgress.create();
        long t0 = System.nanoTime();
        Report report;
        if (!"national".equals(mix) && !NATIONAL.equals(experiment)) throw new IllegalArgumentException("--mix is for --experiment national only");
        engineRunsOnly("--what-if", whatIf, "");
        engineRunsOnly("--mtbf-hours", mtbfHours, "");
        engineRunsOnly("--queue-order", queueOrder, "philly-vc".equals(experiment) ? " (its --policies are queue orders already)" : "");
        if (queueOrder != null) known(Policies.QUEUE_ORDER, "--queue-order", queueOrder); // a bad name fails before any work
        engineRunsOnly("--placement", placement, "fgd-openb".equals(experiment) ? " (its --policies are placement policies already)" : "");
        if (placement != null) known(Policies.NODE_FIT, "--placement", placement);
        if (checkpointMinutes < 0 || checkpointMinutes > 525_600) {
            throw new IllegalArgumentException("--checkpoint-minutes " + checkpointMinutes + ": must be 0 (none) to 525600 (a year). Maybe 60?");
        }
        FailureModel failures = mtbfHours == null ? null : new FailureModel(mtbfHours, repairHours, failureSeed);
        try {
            report = experiment == null ? (trace != null ? trace(progress, failures) : workload(progress, failures))
                    : experiments(progress, failures).named(experiment).runner()
                            .run(new Experiments.Request(this::traces, pods, policies, seedList(), tick, speedup(), progress));
        } finally {
            TerminalProgress.close(progress);
        }
        ReportWriter.print(report, System.out);
        System.out.printf("%nsimulated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (out != null) {
            for (Path p : ReportWriter.write(report, out)) System.out.println("wrote " + p);
        }
        return 0;
    }

    /** Refuses an option given with a preset other than national: only the engine runs of this command take it. */
    /** Refuses an option naming a policy the registry does not know, listing the known ones. */
    private static void known(Policies.Kind<?> kind, String option, String name) {
        if (!Policies.STANDARD.names(kind).contains(name)) {
            throw new IllegalArgumentException(option + " '" + name + "' is not a known " + kind.label() + ". Maybe one of "
                    + Policies.STANDARD.names(kind) + "?");
        }
    }

    private void engineRunsOnly(String option, Object value, String hint) {
        if (value != null && experiment != null && !experiment.equals("national")) {
            throw new IllegalArgumentException(option + " applies to national, --trace and the gavel workload, not to --experiment " + experiment + hint);
        }
    }

    /** The fleet, with the queue order of --queue-order when given. */
    private NuriConfig loadFleet() {
        NuriConfig config = fleet.load();
        if (queueOrder == null) return config;
        EngineConfig engine = config.engine();
        return new NuriConfig(config.source(), config.description(),
                engine.withScheduler(engine.scheduler().withQueueOrder(queueOrder)));
    }

    /** nuri-sim's experiments and {@code national}, which runs with this command's engine-run options. */
    private Experiments experiments(Progress progress, FailureModel failures) {
        return Experiments.STANDARD.with(NATIONAL, NATIONAL_DESCRIPTION, r -> national(progress, failures));
    }

    static final String NATIONAL = "national";
    static final String NATIONAL_DESCRIPTION = "korea-2025 with the national mix, 1,000,000 jobs by default (--jobs, --load, --seed,"
            + " --what-if, --mtbf-hours, --queue-order, --placement): waits, use of entitlement and fairness per tenant class,"
            + " estimated starts against real ones";

    /** The experiments, for the end of {@code nuri simulate --help}. */
    static String experimentsHelp() {
        // picocli formats a footer as a format string: every % of a description is doubled.
        StringBuilder b = new StringBuilder("%nExperiments (--experiment NAME):%n");
        for (Experiments.Experiment e : Experiments.STANDARD.with(NATIONAL, NATIONAL_DESCRIPTION, r -> null).all()) {
            b.append("  ").append(String.format("%-13s", e.name())).append(' ').append(e.description().replace("%", "%%")).append("%n");
        }
        return b.toString();
    }

    /** The national mix on the fleet (korea-2025 by default): --jobs (default 1,000,000 here), --load, --seed. */
    private Report national(Progress progress, FailureModel failures) {
        int n = jobsGiven ? jobs : 1_000_000;
        check(n);
        NuriConfig loaded = loadFleet();
        // The mix's clock starts at 0 = 2026-01-01: the fleet file's awards are active (and run out) in its first year.
        NuriConfig config = new NuriConfig(loaded.source(), loaded.description(), loaded.engine().onSimulatedClock());
        // Jobs may use the models a what-if gives their programme (the same arrivals run without and with it).
        List<kr.nuri.core.command.Command> changes = whatIfChanges(config);
        var gained = WhatIf.modelsGained(changes);
        kr.nuri.core.workload.MixProfile profile = switch (mix) {
            case "national" -> kr.nuri.core.workload.MixProfile.national();
            case "stress" -> kr.nuri.core.workload.MixProfile.stress();
            default -> throw new IllegalArgumentException("--mix " + mix + " is not a profile of the national generator. Maybe national or stress?");
        };
        List<Arrival> arrivals = NationalWorkload.generate(config.engine(), profile, n, load, seed, gained);
        return engineRun("national: " + config.engine().fleet().name() + " with the " + mix + " mix", config, arrivals, changes, progress, failures,
                String.format("national: %s, %,d GPUs; %s mix, %,d jobs, offered load %.2f, seed %d; full pass every %d s%s",
                        config.engine().fleet().name(), config.engine().fleet().totalGpus(), mix, n, load, seed, tick,
                        gained.isEmpty() ? "" : "; portable jobs (not pretraining, not simulation) of " + gained.keySet()
                                + " may also run on the models the what-if gives them: " + gained));
    }

    /** One engine run (failures: null = none). */
    private record EngineRun(Simulation sim, FleetFragmentation fragmentation) {
        static EngineRun of(NuriConfig config, long tick, long checkpointSeconds, List<Arrival> arrivals, FailureModel failures) {
            Simulation sim = new Simulation(config.engine(), tick);
            sim.checkpointEvery(checkpointSeconds);
            FleetFragmentation fragmentation = new FleetFragmentation(config.engine().fleet(), arrivals);
            sim.sampleEvery(3600, fragmentation);
            if (failures != null) sim.failures(failures);
            return new EngineRun(sim, fragmentation);
        }
    }

    /**
     * The fleet with --placement; fgd gets the fleet file's task mix, or else one class per distinct task of the arrivals
     * (CPU, GPUs per member, thousandths, models), counted.
     */
    private NuriConfig withPlacement(NuriConfig config, List<Arrival> arrivals) {
        EngineConfig engine = config.engine();
        List<PlacementSettings.TaskShape> mix = engine.scheduler().placement().taskMix();
        if (placement.equals("fgd") && mix.isEmpty()) {
            List<PlacementSettings.TaskShape> tasks = new java.util.ArrayList<>(arrivals.size());
            for (Arrival a : arrivals) {
                var spec = a.spec();
                int gpus = Math.min(spec.gpusPerMember(), engine.fleet().maxGpusPerNode());
                int milli = gpus == 0 ? 0 : spec.sharing() ? spec.gpuMilli() : 1000;
                tasks.add(new PlacementSettings.TaskShape(spec.cpuMilli(), gpus, milli, spec.models(), 1));
            }
            mix = PlacementSettings.TaskShape.mixOf(tasks);
        }
        PlacementSettings p = new PlacementSettings(placement, seed, mix);
        return new NuriConfig(config.source(), config.description(), engine.withScheduler(engine.scheduler().withPlacement(p)));
    }

    /** The --what-if file's changes (none without one). */
    private List<kr.nuri.core.command.Command> whatIfChanges(NuriConfig config) {
        return whatIf == null ? List.of() : WhatIf.read(whatIf, config.engine());
    }

    /**
     * A run in which the engine refused most submissions measures nothing: stop with the reason (exit status 2) rather
     * than print figures of the few jobs left (or NaN of none).
     */
    static void mostlyAccepted(kr.nuri.sim.Simulation sim, int submitted) {
        List<String> refused = sim.rejected();
        if (submitted > 0 && refused.size() * 2 > submitted) {
            throw new IllegalArgumentException(String.format("the engine refused %,d of %,d submissions, e.g. %s. Nothing meaningful to "
                    + "report. Maybe the trace's projects or priority classes are not the fleet's (--fleet)?", refused.size(), submitted,
                    refused.get(0)));
        }
    }

    /** One engine run, or two (without and with --what-if, in parallel) and their comparison. */
    private Report engineRun(String title, NuriConfig config, List<Arrival> arrivals, List<kr.nuri.core.command.Command> changes,
                             Progress progress, FailureModel failures, String note) {
        if (placement != null) {
            config = withPlacement(config, arrivals);
            title += ", node placement " + placement;
            note += "; node placement " + placement;
        }
        String order = config.engine().scheduler().queueOrder();
        if (!order.equals(QueueOrder.FairShare.NAME)) {
            title += ", queue order " + order;
            note += "; queue order " + order;
        }
        long checkpoint = checkpointMinutes * 60;
        note += checkpoint == 0 ? "; a run ended early starts over" : "; jobs checkpoint every " + checkpointMinutes + " min";
        if (changes.isEmpty()) {
            EngineRun run = EngineRun.of(config, tick, checkpoint, arrivals, failures);
            run.sim().progress(progress);
            Summary s = run.sim().run(arrivals);
            mostlyAccepted(run.sim(), arrivals.size());
            return EngineReport.of(title, config.engine(), run.sim(), s, List.of(note), run.fragmentation(), failures);
        }
        EngineRun base = EngineRun.of(config, tick, checkpoint, arrivals, failures);
        EngineRun changed = EngineRun.of(config, tick, checkpoint, arrivals, failures);
        changes.forEach(changed.sim()::change);
        changed.sim().progress(progress);
        var baseRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> base.sim().run(arrivals));
        Summary after = changed.sim().run(arrivals);
        Summary before = baseRun.join();
        Report without = EngineReport.of(title, config.engine(), base.sim(), before, List.of(note), base.fragmentation(), failures);
        Report with = EngineReport.of(title + ", what-if " + whatIf.getFileName(), config.engine(), changed.sim(), after,
                List.of(note, String.format("what-if %s: %d change(s) applied at their time; the tables below are with them", whatIf, changes.size())),
                changed.fragmentation(), failures);
        for (String refused : changed.sim().refusedChanges()) with.note("what-if change refused by the engine: " + refused);
        EngineReport.compare(with, without);
        return with;
    }

    private Report trace(Progress progress, FailureModel failures) {
        if (tick < 1) throw new IllegalArgumentException("--tick " + tick + ": must be at least 1 second");
        NuriConfig config = loadFleet();
        List<Arrival> arrivals = NuriTrace.read(trace);
        List<String> projects = config.engine().projects();
        for (Arrival a : arrivals) {
            if (!projects.contains(a.spec().project())) {
                throw new IllegalArgumentException(trace + ": job " + a.spec().id() + " names project '" + a.spec().project()
                        + "', which fleet " + config.engine().fleet().name() + " does not have. Maybe one of " + projects + "?");
            }
        }
        return engineRun("trace " + trace.getFileName() + " on " + config.engine().fleet().name(), config, arrivals, whatIfChanges(config),
                progress, failures,
                String.format("trace %s: %,d jobs on %s (%,d GPUs); full pass every %d s", trace, arrivals.size(),
                        config.engine().fleet().name(), config.engine().fleet().totalGpus(), tick));
    }

    private void check(int n) {
        if (n < 1) throw new IllegalArgumentException("--jobs " + n + ": must be at least 1");
        if (!(load > 0) || load > 10) throw new IllegalArgumentException("--load " + load + ": must be more than 0 and at most 10. Maybe 0.8?");
        if (tick < 1) throw new IllegalArgumentException("--tick " + tick + ": must be at least 1 second");
    }

    private Report workload(Progress progress, FailureModel failures) {
        if (!workload.equals("gavel")) throw new IllegalArgumentException("--workload " + workload + " is not known. Maybe gavel?");
        check(jobs);
        NuriConfig config = loadFleet();
        List<String> projects = config.engine().projects();
        long gpus = config.engine().fleet().totalGpus();
        List<Arrival> arrivals = GavelWorkload.generate(jobs, load, gpus, projects, seed);
        return engineRun("Gavel mix on " + config.engine().fleet().name(), config, arrivals, whatIfChanges(config), progress, failures,
                String.format("%s: %,d GPUs; workload gavel, %,d jobs, offered load %.2f, seed %d; full pass every %d s",
                        config.engine().fleet().name(), gpus, jobs, load, seed, tick));
    }

    /** --traces, else $NURI_TRACES, else ../shared/traces; it must exist. */
    private Path traces() {
        Path p = traces;
        String source = "--traces";
        if (p == null && System.getenv("NURI_TRACES") != null) {
            p = Path.of(System.getenv("NURI_TRACES"));
            source = "NURI_TRACES";
        }
        if (p == null) {
            p = Path.of("..", "shared", "traces");
            source = "the default ../shared/traces";
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(source + " (" + p.toAbsolutePath().normalize() + ") is not a folder. "
                    + "Point --traces or NURI_TRACES at the folder holding alibaba-openb-2023/ and philly-derived/.");
        }
        return p;
    }

    private List<Long> seedList() {
        if (seeds == null) return FgdOpenb.SEEDS;
        List<Long> out = new ArrayList<>();
        try {
            if (seeds.contains("..")) {
                String[] ends = seeds.split("\\.\\.", 2);
                long from = Long.parseLong(ends[0].strip());
                long to = Long.parseLong(ends[1].strip());
                if (to < from || to - from > 10_000) throw new NumberFormatException();
                for (long s = from; s <= to; s++) out.add(s);
            } else {
                for (String s : seeds.split(",")) out.add(Long.parseLong(s.strip()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds " + seeds + ": expected FROM..TO (e.g. 42..51, at most 10,001 seeds) or a list (42,43)");
        }
        return out;
    }

}
