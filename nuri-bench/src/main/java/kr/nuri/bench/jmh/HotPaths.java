package kr.nuri.bench.jmh;

import java.util.concurrent.TimeUnit;
import kr.nuri.core.workload.MixProfile;
import kr.nuri.core.workload.NationalMix;
import kr.nuri.config.FleetConfigReader;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.schedule.Placement;
import kr.nuri.core.schedule.TopologyPlacement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the engine's hot paths on korea-2025 (259,520 GPUs), beside {@code nuri bench schedule}:
 * <ul>
 *   <li>{@link #fullPass}: a Tick's full pass over 100,000 waiting jobs on a full fleet (a reason and an estimate for each);</li>
 *   <li>{@link #submitThenCancel}: one submission decided on its own, then its cancel and the incremental pass it triggers;</li>
 *   <li>{@link #inferenceGangSubmit}: an inference gang (2 × 8 GPUs) submitted on the full fleet, for a project and model
 *       where the setup saw one preempt: its start attempt and preemption search, then its cancel. Most searches fail
 *       (96% did in the churn benchmark; with few preemptible jobs left running they nearly all do here): the run prints
 *       how many preempted;</li>
 *   <li>{@link #gangPlacement}: the topology placement search for a 64-GPU gang (8 × 8, preferring one block) on a fleet
 *       two thirds allocated.</li>
 * </ul>
 * Run with {@code nuri bench jmh} (JMH's options follow, e.g. {@code -f 1 -wi 2 -i 3 HotPaths.fullPass}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xss4m"})
public class HotPaths {

    /** The fleet full and 100,000 jobs waiting, as after the churn benchmark's fill. */
    @State(Scope.Benchmark)
    public static class Full {
        Engine engine;
        NationalMix mix;
        long now;
        long next;
        /** Preemptions the preempting submissions made (checked after the run: the benchmark must preempt). */
        long preemptions;
        /** A project and model where an inference gang must preempt to start (found at setup). */
        String project;
        String model;

        /** Says how many preemptions the preempting submissions made: 0 would mean the benchmark measured no search. */
        @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Trial)
        public void report() {
            if (project != null) System.out.printf("%n(inference gangs of %s on %s: %,d preemptions)%n", project, model, preemptions);
        }

        @Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void fill() {
            EngineConfig config = FleetConfigReader.korea2025().engine();
            engine = new Engine(config);
            mix = new NationalMix(config, MixProfile.stress(), 42);
            while (engine.state().queue().size() < 100_000) engine.apply(new Command.SubmitJob(now, mix.next("f" + next++)));
            engine.apply(new Command.Tick(now));
            now += 3600; // past every exempt time
            engine.apply(new Command.Tick(now));
            for (kr.nuri.core.tenancy.TenantSpec t : config.tenants()) {
                for (kr.nuri.core.tenancy.QuotaSpec q : t.quotas()) {
                    if (project == null && preempts(gang("probe-" + t.name() + "-" + q.model(), t.name(), q.model())) > 0) {
                        project = t.name();
                        model = q.model();
                    }
                }
            }
            if (project == null) throw new IllegalStateException("no project's inference gang has to preempt on this fixture");
            preemptions = 0;
        }

        JobSpec gang(String id, String tenant, String gpuModel) {
            return JobSpec.builder(id, tenant).gang(2, 8).models(gpuModel).priorityClass("inference").walltime(3600)
                    .prefer(Level.BLOCK).build();
        }

        /** Submits, counts the preemptions it made, cancels. */
        long preempts(JobSpec spec) {
            Result r = engine.apply(new Command.SubmitJob(now, spec));
            long n = 0;
            for (var e : r.events()) {
                if (e instanceof kr.nuri.core.event.Event.JobEnded x && x.outcome() == kr.nuri.core.job.Outcome.PREEMPTED) n++;
            }
            engine.apply(new Command.CancelJob(now, spec.id()));
            preemptions += n;
            return n;
        }
    }

    /** The fleet two thirds allocated, nothing waiting. */
    @State(Scope.Benchmark)
    public static class Partial {
        TopologyPlacement placement;
        int model;

        @Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void fill() {
            EngineConfig config = FleetConfigReader.korea2025().engine();
            Engine engine = new Engine(config);
            NationalMix mix = new NationalMix(config, MixProfile.stress(), 7);
            long total = config.fleet().totalGpus();
            for (long i = 0; total - engine.state().capacity().totalFree(true) < total * 2 / 3; i++) {
                engine.apply(new Command.SubmitJob(0, mix.next("p" + i)));
                if (engine.state().queue().size() > 0) engine.apply(new Command.CancelJob(0, "p" + i));
            }
            placement = new TopologyPlacement(engine.state().capacity());
            // The pool with the most free GPUs, so that the search finds a domain (checked: not a quick refusal).
            for (int m = 0; m < config.fleet().poolCount(); m++) {
                if (engine.state().capacity().freeGpus(m, true) > engine.state().capacity().freeGpus(model, true)) model = m;
            }
            if (placement.place(model, 8, 8, kr.nuri.core.fleet.Level.BLOCK, false, true, true) == null) {
                throw new IllegalStateException("the fixture leaves no room for a 64-GPU gang of " + config.fleet().poolName(model));
            }
        }
    }

    @Benchmark
    public Result fullPass(Full f) {
        return f.engine.apply(new Command.Tick(f.now));
    }

    @Benchmark
    public Result submitThenCancel(Full f) {
        String id = "s" + f.next++;
        f.engine.apply(new Command.SubmitJob(f.now, f.mix.next(id)));
        return f.engine.job(id).state().isFinal() ? null : f.engine.apply(new Command.CancelJob(f.now, id));
    }

    @Benchmark
    public long inferenceGangSubmit(Full f) {
        f.now += 601; // the jobs restarted by the last cancel come out of korea-2025's 10-minute exempt time
        return f.preempts(f.gang("i" + f.next++, f.project, f.model));
    }

    @Benchmark
    public Placement gangPlacement(Partial p) {
        return p.placement.place(p.model, 8, 8, Level.BLOCK, false, true, true);
    }
}
