package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.QueueOrder;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import org.junit.jupiter.api.Test;

/**
 * Seeded random command streams on several fleet shapes, with every invariant of DESIGN.md checked after
 * every event (assertion level FULL) and the journal replayed at the end to the same state hash. The total
 * number of commands comes from the system property {@code nuri.test.commands} (200,000 in CI). A failure
 * names its seed; rerun one stream with {@code -Dnuri.test.seed=<seed>}.
 */
class RandomStreamInvariantTest {
    private static final int STREAM_LENGTH = 4_000;
    private static final String[] CLASSES = {"inference", "training", "training", "scavenger"};
    /** Starts of jobs sharing a GPU and of CPU-only jobs over all streams: the node-fit paths must be exercised. */
    private static long shareStarts;
    private static long cpuOnlyStarts;
    private static long sharedGpusPacked;
    /** What the streams exercised, from the event oracle: each path must have been taken (see the guards below). */
    private static long preemptions;
    private static long reclaims;
    private static long timeouts;
    private static long reservations;
    private static long orgQuotaStarts;

    @Test
    void invariantsHoldOnRandomCommandStreams() {
        long total = Long.getLong("nuri.test.commands", 40_000);
        String only = System.getProperty("nuri.test.seed");
        long commands = 0;
        long streams = 0;
        long seed = only == null ? 1 : Long.parseLong(only);
        while (commands < total) {
            streams++;
            int shape = (int) (seed % 4);
            try {
                commands += runStream(seed, shape);
            } catch (Throwable t) {
                throw new AssertionError("random stream failed: seed=" + seed + " fleet shape=" + shape
                        + " (rerun with -Dnuri.test.seed=" + seed + " -Dnuri.test.commands=1)", t);
            }
            if (only != null) break;
            seed++;
        }
        assertThat(commands).as("every stream runs to its end").isEqualTo(streams * STREAM_LENGTH);
        System.out.printf("random streams: %d commands in %d streams; share starts %d, CPU-only starts %d, packed shares %d, preemptions %d"
                + " (reclaims %d), walltime ends %d, reservations %d, starts under an organisation's quota %d%n", commands, streams, shareStarts,
                cpuOnlyStarts, sharedGpusPacked, preemptions, reclaims, timeouts, reservations, orgQuotaStarts);
        if (only == null && total >= 4L * STREAM_LENGTH) {
            assertThat(shareStarts).as("starts of jobs sharing a GPU").isGreaterThan(100);
            assertThat(cpuOnlyStarts).as("starts of CPU-only jobs").isGreaterThan(100);
            assertThat(sharedGpusPacked).as("shares started on a GPU another job already shared").isGreaterThan(10);
            // Measured at 20,000 commands: 31 preemptions (4 reclaims), 2,863 walltime ends, 1,689 reservations, 5,022 starts.
            assertThat(preemptions).as("preemptions").isGreaterThan(commands / 1_000);
            assertThat(reclaims).as("preemptions that reclaimed borrowed quota").isGreaterThan(commands / 20_000);
            assertThat(timeouts).as("runs ended by their walltime").isGreaterThan(commands / 20);
            assertThat(reservations).as("reservations made").isGreaterThan(commands / 20);
            assertThat(orgQuotaStarts).as("starts checked against a quota set on an organisation").isGreaterThan(commands / 20);
        }
    }

    static Fleet fleet(int shape, Random r) {
        return switch (shape) {
            case 0 -> World.smallFleet();
            case 1 -> {
                FleetBuilder b = new FleetBuilder("mixed");
                int sites = 1 + r.nextInt(3);
                for (int s = 0; s < sites; s++) {
                    b.site("s" + s);
                    int blocks = 1 + r.nextInt(3);
                    for (int k = 0; k < blocks; k++) {
                        switch (r.nextInt(3)) {
                            case 0 -> b.block("s" + s + "h" + k, "H100", "public").racks(1 + r.nextInt(3), 4, 8);
                            case 1 -> b.block("s" + s + "g" + k, "GB200", "public").racks(1 + r.nextInt(2), 18, 4);
                            default -> b.block("s" + s + "x" + k, "GH200", "public").racks(1 + r.nextInt(4), 2 + r.nextInt(3), 4);
                        }
                    }
                }
                yield b.build();
            }
            case 3 -> {
                // GPU sharing: nodes with CPU and memory (some not modelled), as in the openb trace.
                FleetBuilder b = new FleetBuilder("shared").site("s");
                String[][] blocks = {{"t4", "T4"}, {"v100", "V100"}};
                for (String[] blk : blocks) {
                    b.block(blk[0], blk[1], "public");
                    for (int k = 0; k < 1 + r.nextInt(3); k++) {
                        b.rack(blk[0] + "-r" + k);
                        for (int i = 0; i < 2 + r.nextInt(4); i++) {
                            int gpus = blk[1].equals("T4") ? 2 : 1 + r.nextInt(8);
                            boolean modelled = r.nextInt(5) > 0;
                            b.node(blk[0] + "-r" + k + "-n" + i, gpus, modelled ? 16_000 + 16_000 * r.nextInt(6) : 0,
                                    modelled ? 65_536L * (1 + r.nextInt(4)) : 0);
                        }
                    }
                }
                yield b.build();
            }
            default -> new FleetBuilder("tiny").site("only").block("b", "B200", "public").racks(2, 2, 8).build();
        };
    }

    static List<TenantSpec> tenants(Fleet fleet, Random r) {
        List<TenantSpec> out = new ArrayList<>();
        out.add(new TenantSpec("nation", null, 1, List.of()));
        // Organisations hold quota of their own too (half the time), lent to their projects or kept back.
        out.add(new TenantSpec("pub", "nation", 1 + r.nextInt(3), r.nextBoolean() ? randomQuotas(fleet, r) : List.of()));
        out.add(new TenantSpec("ind", "nation", 1 + r.nextInt(3), r.nextBoolean() ? randomQuotas(fleet, r) : List.of()));
        String[] leaves = {"p1", "p2", "p3", "i1", "i2"};
        for (String leaf : leaves) {
            out.add(new TenantSpec(leaf, leaf.startsWith("p") ? "pub" : "ind", 1 + r.nextInt(4), randomQuotas(fleet, r)));
        }
        return out;
    }

    private static List<QuotaSpec> randomQuotas(Fleet fleet, Random r) {
        List<QuotaSpec> q = new ArrayList<>();
        for (int m = 0; m < fleet.modelCount(); m++) {
            long cap = fleet.gpusOfModel(m);
            int nominal = (int) (cap * r.nextInt(40) / 100);
            int borrow = r.nextInt(3) == 0 ? QuotaSpec.UNLIMITED : r.nextInt((int) cap + 1);
            int lend = r.nextInt(3) == 0 ? QuotaSpec.UNLIMITED : r.nextInt(nominal + 1);
            q.add(new QuotaSpec(fleet.models().get(m), nominal, borrow, lend));
        }
        return q;
    }

    private static int runStream(long seed, int shape) {
        Random r = new Random(seed);
        Fleet fleet = fleet(shape, r);
        SchedulerSettings settings = new SchedulerSettings(r.nextInt(4), 1 + r.nextInt(64), r.nextInt(5) > 0, 64,
                r.nextBoolean() ? 0 : r.nextInt(1200), QueueOrder.values()[r.nextInt(QueueOrder.values().length)],
                placement(r, fleet));
        World w = new World(new EngineConfig(fleet, tenants(fleet, r), EngineConfig.DEFAULT_CLASSES, List.of(),
                3600 + r.nextInt(86_400), settings, null));
        Engine twin = null; // restored from a snapshot halfway; must decide exactly as the original from then on
        // The same stream with every check off: checks observe, they never steer a decision.
        Engine unchecked = new Engine(w.config.withAssertions(kr.nuri.core.config.AssertionLevel.OFF));
        EventOracle oracle = new EventOracle(w.config);
        String[] quotaHolders = {"p1", "p2", "p3", "i1", "i2", "pub", "ind"};
        List<String> ids = new ArrayList<>();
        List<String> awards = new ArrayList<>();
        String[] projects = {"p1", "p2", "p3", "i1", "i2"};
        int n = 0;
        for (; n < STREAM_LENGTH; n++) {
            w.now += r.nextInt(4) == 0 ? 0 : r.nextInt(600);
            int dice = r.nextInt(100);
            Command c;
            if (dice < 45) {
                c = new Command.SubmitJob(w.now, randomJob(r, fleet, "j" + n, projects[r.nextInt(projects.length)], awards));
                ids.add("j" + n);
            } else if (dice < 70) {
                c = finishSomething(w, r, ids);
            } else if (dice < 75) {
                c = new Command.CancelJob(w.now, ids.isEmpty() ? "none" : ids.get(r.nextInt(ids.size())));
            } else if (dice < 81) {
                String node = fleet.nodeName(r.nextInt(fleet.nodeCount()));
                c = switch (r.nextInt(5)) {
                    case 0, 1 -> new Command.NodeDown(w.now, node);
                    case 2 -> new Command.DrainNode(w.now, node);
                    default -> new Command.NodeUp(w.now, node);
                };
            } else if (dice < 85) {
                String model = fleet.models().get(r.nextInt(fleet.modelCount()));
                int cap = (int) fleet.gpusOfModel(fleet.modelIndex(model));
                c = new Command.SetQuota(w.now, quotaHolders[r.nextInt(quotaHolders.length)], model, r.nextInt(cap / 2 + 1),
                        r.nextInt(3) == 0 ? -1 : r.nextInt(cap + 1), r.nextInt(3) == 0 ? -1 : r.nextInt(cap / 2 + 1));
            } else if (dice < 89) {
                c = awardCommand(w, r, fleet, awards, projects);
            } else {
                c = new Command.Tick(w.now);
            }
            Result original = w.apply(c);
            oracle.command(original.events());
            assertThat(describe(unchecked.apply(c))).as("decisions with checks off, command " + n).isEqualTo(describe(original));
            if (n % 100 == 99) oracle.compare(w.engine.state());
            for (var e : original.events()) {
                if (e instanceof kr.nuri.core.event.Event.JobStarted st) {
                    if (st.slots() != null) {
                        shareStarts++;
                        int used = w.engine.state().capacity().shareUsed(st.nodes()[0], st.slots()[0]);
                        if (used > w.engine.state().job(st.jobId()).spec().gpuMilli()) sharedGpusPacked++;
                    } else if (w.engine.state().job(st.jobId()).spec().gpusPerMember() == 0) {
                        cpuOnlyStarts++;
                    }
                    if (orgHoldsQuota(w, w.engine.state().job(st.jobId()))) orgQuotaStarts++;
                }
            }
            if (twin != null) {
                Result copy = twin.apply(c);
                assertThat(describe(copy)).as("restored engine's events for command " + n).isEqualTo(describe(original));
            }
            if (n == STREAM_LENGTH / 2) {
                twin = new Engine(w.config);
                twin.restore(w.engine.snapshot());
                assertThat(twin.stateHash()).as("hash of the engine restored from a snapshot").isEqualTo(w.engine.stateHash());
            }
            if (n % 1000 == 999) {
                assertThat(w.replayed().stateHash()).as("replay hash after " + (n + 1) + " commands").isEqualTo(w.engine.stateHash());
            }
        }
        oracle.compare(w.engine.state());
        preemptions += oracle.preemptions;
        reclaims += oracle.reclaims;
        timeouts += oracle.timeouts;
        reservations += oracle.reservations;
        assertThat(unchecked.stateHash()).as("hash with checks off at the end").isEqualTo(w.engine.stateHash());
        assertThat(w.replayed().stateHash()).as("replay hash at the end").isEqualTo(w.engine.stateHash());
        assertThat(twin.stateHash()).as("restored engine's hash at the end").isEqualTo(w.engine.stateHash());
        return n;
    }

    /** Whether the organisation above a job's project holds quota of the job's model. */
    private static boolean orgHoldsQuota(World w, kr.nuri.core.job.Job job) {
        var quota = w.engine.state().quota();
        int org = w.engine.state().tenants().parent(job.project());
        return job.model() >= 0 && org >= 0 && quota.nominal(org, job.model()) > 0;
    }

    /** Events as comparable text (records print int[] by identity). */
    private static String describe(Result r) {
        StringBuilder sb = new StringBuilder(String.valueOf(r.rejection()));
        for (var e : r.events()) {
            sb.append('\n').append(e.getClass().getSimpleName()).append(' ').append(e.time());
            switch (e) {
                case kr.nuri.core.event.Event.JobStarted s -> sb.append(' ').append(s.jobId()).append(java.util.Arrays.toString(s.nodes()))
                        .append(java.util.Arrays.toString(s.gpus())).append(s.borrowed()).append(java.util.Arrays.toString(s.slots()));
                case kr.nuri.core.event.Event.ReservationMade m -> sb.append(' ').append(m.jobId()).append(m.start())
                        .append(java.util.Arrays.toString(m.nodes()));
                default -> sb.append(' ').append(e);
            }
        }
        return sb.toString();
    }

    /** A random node placement policy; fgd with a random task mix. */
    static PlacementSettings placement(Random r, Fleet fleet) {
        String policy = PlacementSettings.POLICIES.get(r.nextInt(PlacementSettings.POLICIES.size()));
        List<PlacementSettings.TaskShape> mix = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            int kind = r.nextInt(3);
            int gpus = kind == 0 ? 0 : kind == 1 ? 1 : 1 << r.nextInt(3);
            int milli = kind == 0 ? 0 : kind == 1 ? 100 * (1 + r.nextInt(9)) : 1000;
            mix.add(new PlacementSettings.TaskShape(4_000 * r.nextInt(8), gpus, milli,
                    r.nextInt(3) == 0 ? List.of(fleet.models().get(r.nextInt(fleet.modelCount()))) : List.of(), 1 + r.nextInt(100)));
        }
        return new PlacementSettings(policy, r.nextLong(), mix);
    }

    /** A node-fit job: a GPU share, whole GPUs with CPU and memory, or CPU only. */
    private static JobSpec.Builder nodeFitJob(Random r, JobSpec.Builder b) {
        switch (r.nextInt(3)) {
            case 0 -> b.share(50 * (1 + r.nextInt(19)));
            case 1 -> b.gang(1, 1 << r.nextInt(3));
            default -> b.gang(1, 0);
        }
        b.cpuMilli(r.nextInt(4) == 0 ? 0 : 1_000 * (1 + r.nextInt(24)));
        if (r.nextBoolean()) b.memoryMib(1_024L * r.nextInt(64));
        return b;
    }

    private static JobSpec randomJob(Random r, Fleet fleet, String id, String project, List<String> awards) {
        if (r.nextInt(fleet.modelsNodeResources() ? 2 : 6) == 0) {
            JobSpec.Builder b = nodeFitJob(r, JobSpec.builder(id, project))
                    .priorityClass(CLASSES[r.nextInt(CLASSES.length)])
                    .walltime(r.nextInt(5) == 0 ? 0 : 60 + r.nextInt(3600))
                    .requeue(r.nextInt(4) > 0);
            if (r.nextBoolean()) b.preemptible(r.nextBoolean());
            if (r.nextInt(3) == 0) b.models(fleet.models().get(r.nextInt(fleet.modelCount())));
            if (!awards.isEmpty() && r.nextInt(4) == 0) b.award(awards.get(r.nextInt(awards.size())));
            return b.build();
        }
        int[] sizes = {1, 1, 1, 2, 4, 4, 8, 8};
        int g = sizes[r.nextInt(sizes.length)];
        int members = r.nextInt(4) == 0 ? 1 + r.nextInt(20) : 1;
        JobSpec.Builder b = JobSpec.builder(id, project).gang(members, g)
                .priorityClass(CLASSES[r.nextInt(CLASSES.length)])
                .walltime(r.nextInt(5) == 0 ? 0 : 60 + r.nextInt(3600))
                .requeue(r.nextInt(4) > 0);
        if (r.nextBoolean()) b.preemptible(r.nextBoolean());
        if (r.nextInt(3) == 0) b.models(fleet.models().get(r.nextInt(fleet.modelCount())));
        Level level = Level.values()[r.nextInt(Level.values().length)];
        if (r.nextBoolean()) b.within(level); else b.prefer(level);
        if (!awards.isEmpty() && r.nextInt(4) == 0) b.award(awards.get(r.nextInt(awards.size())));
        return b.build();
    }

    private static Command finishSomething(World w, Random r, List<String> ids) {
        List<Job> running = new ArrayList<>(w.engine.state().running().byDeadline());
        if (running.isEmpty()) return new Command.JobFinished(w.now, "nothing-runs", true);
        Job j = running.get(r.nextInt(Math.min(running.size(), 8)));
        // Finish at its deadline at the latest (jobs cannot outlive their walltime) or now.
        long t = Math.max(w.now, Math.min(j.deadline() + (r.nextInt(10) == 0 ? 100 : 0), w.now + r.nextInt(3600)));
        w.now = t;
        return new Command.JobFinished(t, j.id(), r.nextInt(10) > 0);
    }

    private static Command awardCommand(World w, Random r, Fleet fleet, List<String> awards, String[] projects) {
        if (!awards.isEmpty() && r.nextBoolean()) {
            String id = awards.get(r.nextInt(awards.size()));
            AwardSpec a = w.engine.award(id);
            return new Command.ReviseAward(w.now, id, Math.max(1, a.budgetGpuSeconds() / 2 + r.nextInt(1_000_000)),
                    a.to() + r.nextInt(100_000) - 20_000);
        }
        String id = "award-" + awards.size();
        awards.add(id);
        String[] holders = {"pub", "ind", projects[r.nextInt(projects.length)]};
        String model = fleet.models().get(r.nextInt(fleet.modelCount()));
        AwardSpec spec = r.nextBoolean()
                ? new AwardSpec(id, holders[r.nextInt(3)], AwardSpec.Kind.BUDGET, r.nextBoolean() ? model : null,
                        1 + r.nextInt(5_000_000), 0, w.now - r.nextInt(1000), w.now + 1 + r.nextInt(200_000))
                : new AwardSpec(id, holders[r.nextInt(3)], AwardSpec.Kind.DEDICATED, model, 0,
                        1 + r.nextInt((int) fleet.gpusOfModel(fleet.modelIndex(model))), w.now + r.nextInt(5000), w.now + 5001 + r.nextInt(100_000));
        return new Command.GrantAward(w.now, spec);
    }

    @Test
    void streamsAreDeterministic() {
        long first = hashOfStream(7);
        assertThat(hashOfStream(7)).isEqualTo(first);
    }

    private static long hashOfStream(long seed) {
        Random r = new Random(seed);
        Fleet fleet = fleet(1, r);
        World w = new World(EngineConfig.of(fleet, tenants(fleet, r)));
        for (int i = 0; i < 500; i++) {
            w.now += r.nextInt(100);
            w.submit(randomJob(r, fleet, "j" + i, "p" + (1 + r.nextInt(3)), List.of()));
            if (i % 3 == 0 && w.engine.state().running().size() > 0) {
                w.finish(w.engine.state().running().byDeadline().first().id());
            }
        }
        assertThat(w.engine.count(JobState.RUNNING)).isPositive();
        return w.engine.stateHash();
    }
}
