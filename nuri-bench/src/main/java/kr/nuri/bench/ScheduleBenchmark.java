package kr.nuri.bench;

import java.io.PrintStream;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.workload.MixProfile;
import kr.nuri.core.workload.NationalMix;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.core.execution.VirtualExecution;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;

/**
 * {@code nuri bench schedule}: how fast the engine schedules a full national fleet.
 *
 * <ol>
 *   <li><b>Churn</b>: the fleet is filled and a backlog of {@code backlog} pending jobs built; then running
 *       jobs complete in virtual-time order, each completion followed by the scheduling it triggers, new
 *       arrivals keeping the backlog full, until {@code jobs} distinct jobs have started. Reports first starts per
 *       second of engine time (commands, events and replay included), the headline, and placements (starts and
 *       restarts after preemption) per second; and what preemption costs: the GPU-hours of work it threw away
 *       (since the victim's last checkpoint, every hour) as a percentage of the GPU-hours the fleet delivered to
 *       jobs during the churn.</li>
 *   <li><b>Full pass</b>: p50/p99 of a Tick's pass that gives every pending job a decision.</li>
 *   <li><b>Submit</b>: p50/p99 latency of one submit decision during churn; heap used after a GC.</li>
 * </ol>
 * Execution is virtual ({@link VirtualExecution}, the simulator's and the server's model): a job completes when its
 * declared runtime is done, a preempted run resuming from its last checkpoint.
 */
public final class ScheduleBenchmark {

    /** Benchmark settings. */
    public record Options(long jobs, int backlog, long seed, int passes) {}

    /** The figures, also printed. */
    public record Figures(long started, double engineSeconds, double placementsPerSecond, long passP50Nanos,
                          long passP99Nanos, long submitP50Nanos, long submitP99Nanos, long heapBytes,
                          long preemptions, double utilisation, double jobsStartedPerSecond, double preemptionWastePct,
                          String stateHash) {}

    /** Jobs checkpoint every hour, as in the simulator's {@code national} experiment: a preemption loses at most an hour. */
    public static final long CHECKPOINT_SECONDS = 3600;

    private final EngineConfig config;
    private final Options options;
    private final PrintStream out;
    private final boolean progress;

    public ScheduleBenchmark(EngineConfig config, Options options, PrintStream out, boolean progress) {
        this.config = config.onSimulatedClock(); // the fleet file's 2026 awards active in the benchmark's first year
        this.options = options;
        this.out = out;
        this.progress = progress;
    }

    public Figures run() {
        Engine engine = new Engine(config);
        NationalMix mix = new NationalMix(config, MixProfile.stress(), options.seed());
        VirtualExecution completions = new VirtualExecution(CHECKPOINT_SECONDS, true);
        long[] counters = new long[4]; // [0] placements (starts and restarts), [1] preemptions, [2] jobs started first time, [3] refused
        long now = 0;
        long nextId = 0;
        out.printf("fleet %s: %,d GPUs in %,d nodes; backlog %,d; target %,d starts; seed %d%n", config.fleet().name(),
                config.fleet().totalGpus(), config.fleet().nodeCount(), options.backlog(), options.jobs(), options.seed());

        // Fill the fleet and build the backlog.
        long fillStart = System.nanoTime();
        while (engine.state().queue().size() < options.backlog()) {
            Result r = engine.apply(new Command.SubmitJob(now, mix.next("j" + nextId++)));
            track(engine, r, completions, counters);
        }
        long fillStarted = counters[0];
        out.printf("filled: %,d jobs started, %,d pending, %.1f%% of GPUs allocated (%.1f s)%n", fillStarted,
                engine.state().queue().size(), 100 * utilisation(engine), (System.nanoTime() - fillStart) / 1e9);

        // Churn.
        counters[0] = 0;
        counters[1] = 0;
        counters[2] = 0;
        double heldBefore = completions.heldGpuSeconds();
        double lostBefore = completions.lostGpuSeconds(Outcome.PREEMPTED);
        Percentiles submits = new Percentiles();
        long engineNanos = 0;
        long completionPasses = 0;
        long examinedInPasses = 0;
        long wallStart = System.nanoTime();
        long lastReport = wallStart;
        while (counters[2] < options.jobs()) {
            VirtualExecution.Due c = completions.poll();
            if (c == null) throw new IllegalStateException("no running job left to complete; the backlog cannot start");
            if (!VirtualExecution.current(c, engine)) continue; // preempted meanwhile
            now = Math.max(now, c.time());
            long t0 = System.nanoTime();
            Result r = engine.apply(new Command.JobFinished(now, c.jobId(), true));
            engineNanos += System.nanoTime() - t0;
            completionPasses++;
            examinedInPasses += r.pass().examined();
            track(engine, r, completions, counters);
            while (engine.state().queue().size() < options.backlog()) {
                Command submit = new Command.SubmitJob(now, mix.next("j" + nextId++));
                long s0 = System.nanoTime();
                Result sr = engine.apply(submit);
                long dt = System.nanoTime() - s0;
                engineNanos += dt;
                submits.add(dt);
                track(engine, sr, completions, counters);
            }
            if (progress && System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                System.err.printf("\r  churn: %,d / %,d jobs started, %,.0f placements/s   ", counters[2], options.jobs(),
                        counters[0] / (engineNanos / 1e9));
            }
        }
        if (progress) System.err.println();
        double engineSeconds = engineNanos / 1e9;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double perSecond = counters[0] / engineSeconds;
        out.printf("churn: %,d jobs started (%,d placements counting restarts after %,d preemptions) in %.2f s of engine "
                        + "time (%.2f s wall, incl. the workload generator); virtual time %.1f days; %.1f%% of GPUs allocated%n",
                counters[2], counters[0], counters[1], engineSeconds, wall, now / 86400.0, 100 * utilisation(engine));
        double startsPerSecond = counters[2] / engineSeconds;
        double delivered = completions.heldGpuSeconds() - heldBefore;
        double wasted = completions.lostGpuSeconds(Outcome.PREEMPTED) - lostBefore;
        double wastePct = delivered == 0 ? 0 : 100 * wasted / delivered;
        out.printf("preemption: %,d preemptions (%.2f per first start) threw away %,.0f of %,.0f GPU-hours delivered during the churn"
                        + " (jobs checkpoint every %d min)%n", counters[1], counters[1] / (double) Math.max(1, counters[2]), wasted / 3600,
                delivered / 3600, CHECKPOINT_SECONDS / 60);
        out.printf("completion passes: %,d, jobs examined per pass: %.1f%n", completionPasses,
                examinedInPasses / (double) Math.max(1, completionPasses));

        // Full passes over the whole backlog.
        Percentiles passes = new Percentiles();
        for (int i = 0; i < options.passes(); i++) {
            long t0 = System.nanoTime();
            Result r = engine.apply(new Command.Tick(now));
            passes.add(System.nanoTime() - t0);
            track(engine, r, completions, counters);
        }
        long decided = engine.state().jobs().stream()
                .filter(j -> j.state() == JobState.PENDING && engine.verdicts().reason(j) != PendingReason.PRIORITY).count();
        long withEta = engine.state().jobs().stream()
                .filter(j -> j.state() == JobState.PENDING && engine.verdicts().estimatedStart(j) >= 0).count();
        out.printf("full pass over %,d pending jobs (%,d with a reason, %,d with an estimated start): p50 %.1f ms, p99 %.1f ms%n",
                engine.state().queue().size(), decided, withEta, passes.quantile(0.5) / 1e6, passes.quantile(0.99) / 1e6);
        out.printf("submit decision: p50 %.1f us, p99 %.1f us over %,d submits%n", submits.quantile(0.5) / 1e3,
                submits.quantile(0.99) / 1e3, submits.size());
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        out.printf("heap used after GC: %,d MiB (%,d jobs held)%n", heap >> 20, engine.state().jobs().size());
        String hash = String.format("%016x", engine.stateHash());
        out.printf("state hash after the run: %s%n", hash);
        out.printf("placements_per_s=%.0f%n", perSecond);
        out.printf("refused submissions (award-required projects without an award to charge): %,d%s%n", counters[3],
                firstRefusal == null ? "" : "; the first: " + firstRefusal);
        out.printf("preemption_waste_pct=%.2f%n", wastePct);
        out.printf("jobs_started_per_s=%.0f%n", startsPerSecond);
        return new Figures(counters[0], engineSeconds, perSecond, passes.quantile(0.5), passes.quantile(0.99),
                submits.quantile(0.5), submits.quantile(0.99), heap, counters[1], utilisation(engine), startsPerSecond, wastePct, hash);
    }

    private String firstRefusal;

    private void track(Engine engine, Result r, VirtualExecution completions, long[] counters) {
        if (!r.accepted()) {
            // A submission the tenant's policy refuses (an award run out, none covering the project): counted, not fatal.
            if (!(r.rejection().code() == kr.nuri.core.engine.Rejection.Code.AWARD_REQUIRED
                    || r.rejection().code() == kr.nuri.core.engine.Rejection.Code.BUDGET_EXHAUSTED)) {
                throw new IllegalStateException("benchmark command rejected: " + r.rejection());
            }
            if (counters[3]++ == 0) firstRefusal = r.rejection().message();
            return;
        }
        for (Event e : r.events()) {
            completions.observe(e, engine);
            if (e instanceof Event.JobStarted s) {
                counters[0]++;
                if (engine.job(s.jobId()).runs() == 1) counters[2]++;
            } else if (e instanceof Event.JobEnded x && x.outcome() == Outcome.PREEMPTED) {
                counters[1]++;
            }
        }
    }

    private static double utilisation(Engine engine) {
        long total = engine.state().fleet().totalGpus();
        return (total - engine.state().capacity().totalFree(true)) / (double) total;
    }
}
