package kr.nuri.sim.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.sim.Progress;
import kr.nuri.sim.report.Report;

/**
 * The named experiments of {@code nuri simulate --experiment NAME}, one registry: each has a name, what it runs (for
 * {@code --help}) and a runner. An unknown name is refused with the known ones listed. Adding an experiment is a
 * runner and one {@link #with} line.
 */
public final class Experiments {
    /** What a run is given: the shared traces' folder (looked up when an experiment reads it) and the options experiments read. */
    public record Request(java.util.function.Supplier<Path> traces, String pods, List<String> policies, List<Long> seeds, long tick,
                          double speedup, Progress progress) { }

    /** How an experiment runs. */
    @FunctionalInterface
    public interface Runner {
        Report run(Request request);
    }

    /** One experiment. */
    public record Experiment(String name, String description, Runner runner) { }

    /** The experiments nuri-sim runs by itself (the CLI adds {@code national}, which runs with its engine-run options). */
    public static final Experiments STANDARD = new Experiments(Map.of())
            .with("fgd-openb", "the packing experiment of Weng et al. (ATC'23) on the engine: openb pods placed one by one by each "
                    + "node-fit policy; unallocated and fragmented GPU % per 10% of demand arrived (--pods, --policies, --seeds)",
                    r -> FgdOpenb.run(r.traces().get(), r.pods(), r.policies() == null ? kr.nuri.core.schedule.Policies.STANDARD.names(
                            kr.nuri.core.schedule.Policies.NODE_FIT) : r.policies(), r.seeds(), 1.3, r.progress()))
            .with("philly-vc", "the Philly trace per virtual cluster under fifo, sjf, srtf and Nuri's fair share (--policies; --speedup F "
                    + "compresses the arrivals F-fold, raising the offered load F-fold)",
                    r -> PhillyExperiments.vc(r.traces().get(), r.policies() == null ? PhillyExperiments.VC_POLICIES : r.policies(), r.tick(),
                            r.speedup(), r.progress()))
            .with("philly-quota", "the Philly trace on one cluster with a quota per virtual cluster: borrowing and reclaim against "
                    + "static partitions", r -> PhillyExperiments.quota(r.traces().get(), r.tick(), r.progress()));

    private final Map<String, Experiment> byName;

    private Experiments(Map<String, Experiment> byName) {
        this.byName = byName;
    }

    /** A registry with one more experiment. */
    public Experiments with(String name, String description, Runner runner) {
        Map<String, Experiment> copy = new LinkedHashMap<>(byName);
        copy.put(name, new Experiment(name, description, runner));
        return new Experiments(copy);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public List<Experiment> all() {
        return List.copyOf(byName.values());
    }

    /** The experiment of a name; an unknown one is refused naming the known ones. */
    public Experiment named(String name) {
        Experiment e = byName.get(name);
        if (e == null) throw new IllegalArgumentException("--experiment " + name + " is not known. Maybe one of " + names() + "?");
        return e;
    }
}
