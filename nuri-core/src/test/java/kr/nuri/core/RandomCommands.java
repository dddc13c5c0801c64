package kr.nuri.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.schedule.Policies;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * A seeded random command stream on one of four fleet shapes (the small test fleet, mixed sites and models, one
 * tiny block, GPU-sharing nodes with CPU and memory), with a random quota tree (quotas on organisations too),
 * scheduler settings and node placement policy: submissions of gangs, shares and CPU-only jobs, finishes (some
 * past their walltime), cancels, node failures, drains and returns, quota changes, award grants and revisions,
 * and ticks. The same seed gives the same stream against an engine that decides the same way.
 */
public final class RandomCommands {
    private static final List<String> ORDERS = Policies.STANDARD.names(Policies.QUEUE_ORDER);
    private static final List<String> FITS = Policies.STANDARD.names(Policies.NODE_FIT);
    private static final String[] CLASSES = {"inference", "training", "training", "scavenger"};
    private static final String[] PROJECTS = {"p1", "p2", "p3", "i1", "i2"};
    private static final String[] QUOTA_HOLDERS = {"p1", "p2", "p3", "i1", "i2", "pub", "ind"};
    /** Where jobs are submitted: the projects of the tree as it is now (those the stream created too). */
    private static List<String> projects(Engine engine) {
        var tree = engine.state().tenants();
        List<String> out = new ArrayList<>();
        for (int t = 0; t < tree.size(); t++) if (tree.isLeaf(t)) out.add(tree.name(t));
        return out;
    }
    private final Random r;
    private final Fleet fleet;
    private final EngineConfig config;
    private final List<String> ids = new ArrayList<>();
    private final List<String> awards = new ArrayList<>();
    private int n;
    /** The stream's clock: each command's time. */
    public long now;

    public RandomCommands(long seed, int shape) {
        r = new Random(seed);
        fleet = fleet(shape, r);
        SchedulerSettings settings = new SchedulerSettings(r.nextInt(4), 1 + r.nextInt(64), r.nextInt(5) > 0, 64,
                r.nextBoolean() ? 0 : r.nextInt(1200), new PolicyNames(ORDERS.get(r.nextInt(ORDERS.size())), null, null, null, null),
                placement(r, fleet));
        config = new EngineConfig(fleet, tenants(fleet, r), EngineConfig.DEFAULT_CLASSES, List.of(),
                3600 + r.nextInt(86_400), settings, null);
    }

    /** The engine configuration the stream was made for (assertions off; set them with {@code withAssertions}). */
    public EngineConfig config() { return config; }

    /** The next command, made against what {@code engine} holds now (which jobs run, what awards say). */
    public Command next(Engine engine) {
        now += r.nextInt(4) == 0 ? 0 : r.nextInt(600);
        int dice = r.nextInt(100);
        Command c;
        if (dice < 45) {
            List<String> projects = projects(engine);
            c = new Command.SubmitJob(now, randomJob(r, fleet, "j" + n, projects.get(r.nextInt(projects.size())), awards));
            ids.add("j" + n);
        } else if (dice < 70) {
            c = finishSomething(engine);
        } else if (dice < 75) {
            String id = ids.isEmpty() ? "none" : ids.get(r.nextInt(ids.size()));
            c = switch (r.nextInt(7)) {
                case 6 -> new Command.SetWalltime(now, id, r.nextInt(10) == 0 ? 0 : 60 + r.nextInt(7200)); // shorter, longer, or refused
                case 0 -> new Command.HoldJob(now, id, true); // refused unless it waits and is not held
                case 1 -> new Command.HoldJob(now, id, false);
                case 2 -> r.nextBoolean() ? new Command.RequeueJob(now, id) // refused unless it runs
                        : new Command.RequeueJob(now, id, "site refused it", true); // a site refused the run: back, held
                default -> new Command.CancelJob(now, id);
            };
        } else if (dice < 81) {
            String node = fleet.nodeName(r.nextInt(fleet.nodeCount()));
            c = switch (r.nextInt(41)) {
                case 40 -> new Command.RetireNode(now, node); // refused unless drained or down and empty: then for good
                default -> switch (r.nextInt(5)) {
                    case 0, 1 -> new Command.NodeDown(now, node);
                    case 2 -> new Command.DrainNode(now, node);
                    default -> new Command.NodeUp(now, node);
                };
            };
        } else if (dice < 84) {
            // A GPU model (resolved to the holder's pool, or refused when it has none or several) or a pool by name.
            boolean byPool = r.nextBoolean();
            String model = byPool ? fleet.pools().get(r.nextInt(fleet.poolCount())) : fleet.models().get(r.nextInt(fleet.modelCount()));
            int cap = (int) (byPool ? fleet.gpusOfPool(fleet.poolIndex(model)) : fleet.gpusOfModel(fleet.modelIndex(model)));
            List<String> projects = projects(engine);
            c = new Command.SetQuota(now, r.nextInt(4) == 0 ? projects.get(r.nextInt(projects.size())) : QUOTA_HOLDERS[r.nextInt(QUOTA_HOLDERS.length)],
                    model, r.nextInt(cap / 2 + 1),
                    r.nextInt(3) == 0 ? -1 : r.nextInt(cap + 1), r.nextInt(3) == 0 ? -1 : r.nextInt(cap / 2 + 1));
        } else if (dice < 85) {
            c = policyCommand(engine);
        } else if (dice < 89) {
            c = awardCommand(engine);
        } else if (dice < 90) {
            c = r.nextInt(3) == 0 ? createTenant(engine) : changeFleet(engine);
        } else {
            c = new Command.Tick(now, r.nextBoolean()); // the periodic full pass, or the server's walltime tick
        }
        n++;
        return c;
    }

    /**
     * A tenant's policy: half the time none (inherit everything), else some classes with walltime caps (one in ten
     * beyond the class's longest, refused), awards required now and then, sometimes on a tenant that does not exist.
     */
    private Command policyCommand(Engine engine) {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < engine.state().tenants().size(); t++) names.add(engine.state().tenants().name(t));
        names.add("nobody");
        String tenant = names.get(r.nextInt(names.size()));
        List<String> retired = engine.state().policies().retiredSnapshot();
        if (!retired.isEmpty() && r.nextInt(3) == 0) {
            // A retired tenant comes back soon, so that most of the stream still runs.
            return new Command.RetireTenant(now, retired.get(r.nextInt(retired.size())), false, false);
        }
        if (r.nextInt(10) == 0) return new Command.RetireTenant(now, tenant, true, r.nextInt(4) == 0); // its jobs cancelled one time in four
        if (r.nextBoolean()) return new Command.SetTenantPolicy(now, tenant, kr.nuri.core.tenancy.TenantPolicy.INHERIT);
        java.util.Map<String, Long> classes = null;
        if (r.nextBoolean()) {
            classes = new java.util.TreeMap<>();
            for (var pc : config.classes()) {
                if (r.nextInt(3) == 0) continue;
                long cap = r.nextInt(10) == 0 ? pc.maxWalltime() + 1 : r.nextBoolean() ? 0 : 3600 + r.nextInt((int) Math.min(pc.maxWalltime(), Integer.MAX_VALUE));
                classes.put(pc.name(), Math.min(cap, pc.maxWalltime() + 1));
            }
        }
        Boolean awards = r.nextInt(4) == 0 ? Boolean.TRUE : r.nextBoolean() ? null : Boolean.FALSE;
        return new Command.SetTenantPolicy(now, tenant, kr.nuri.core.tenancy.TenantPolicy.of(awards, r.nextBoolean() ? null : r.nextBoolean(), classes));
    }

    public static Fleet fleet(int shape, Random r) {
        return switch (shape) {
            case 0 -> World.smallFleet();
            case 1 -> {
                // Owned blocks: by a sector, an organisation... or a project, or no one (a pool every tenant may claim).
                String[] owners = {null, "pub", "ind", "p1", "i2"};
                FleetBuilder b = new FleetBuilder("mixed");
                int sites = 1 + r.nextInt(3);
                for (int s = 0; s < sites; s++) {
                    b.site("s" + s);
                    int blocks = 1 + r.nextInt(3);
                    for (int k = 0; k < blocks; k++) {
                        switch (r.nextInt(3)) {
                            case 0 -> b.block("s" + s + "h" + k, "H100", owners[r.nextInt(owners.length)]).racks(1 + r.nextInt(3), 4, 8);
                            case 1 -> b.block("s" + s + "g" + k, "GB200", owners[r.nextInt(owners.length)]).racks(1 + r.nextInt(2), 18, 4);
                            default -> b.block("s" + s + "x" + k, "GH200", owners[r.nextInt(owners.length)]).racks(1 + r.nextInt(4), 2 + r.nextInt(3), 4);
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

    /**
     * nation → pub (p1, p2, p3) and ind (i1, i2); pub and ind each isolated one time in three. Quotas are random claims on
     * pools each tenant's line owns (or owns inside it), never more than a pool can guarantee.
     */
    public static List<TenantSpec> tenants(Fleet fleet, Random r) {
        String[][] tree = {{"nation", null}, {"pub", "nation"}, {"ind", "nation"}, {"p1", "pub"}, {"p2", "pub"}, {"p3", "pub"},
                {"i1", "ind"}, {"i2", "ind"}};
        List<TenantSpec> shape = new ArrayList<>();
        for (String[] t : tree) shape.add(new TenantSpec(t[0], t[1], 1, List.of()));
        kr.nuri.core.tenancy.TenantTree names = new kr.nuri.core.tenancy.TenantTree(shape);
        kr.nuri.core.tenancy.Pools pools = new kr.nuri.core.tenancy.Pools(fleet, names);
        long[] left = new long[fleet.poolCount()];
        for (int p = 0; p < left.length; p++) left[p] = pools.bound(p);
        List<TenantSpec> out = new ArrayList<>();
        out.add(new TenantSpec("nation", null, 1, List.of()));
        for (int i = 1; i < tree.length; i++) {
            boolean leaf = tree[i][0].length() == 2;
            // Organisations hold quota of their own too (half the time), lent to their projects or kept back.
            List<QuotaSpec> quotas = leaf || r.nextBoolean() ? randomQuotas(fleet, pools, names.index(tree[i][0]), left, r) : List.of();
            out.add(new TenantSpec(tree[i][0], tree[i][1], 1 + r.nextInt(leaf ? 4 : 3), quotas, null, !leaf && r.nextInt(3) == 0));
        }
        return out;
    }

    private static List<QuotaSpec> randomQuotas(Fleet fleet, kr.nuri.core.tenancy.Pools pools, int tenant, long[] left, Random r) {
        List<QuotaSpec> q = new ArrayList<>();
        for (int p = 0; p < fleet.poolCount(); p++) {
            if (!pools.mayClaim(tenant, p)) continue;
            long cap = fleet.gpusOfPool(p);
            int nominal = (int) Math.min(left[p], cap * r.nextInt(40) / 100);
            left[p] -= nominal;
            int borrow = r.nextInt(3) == 0 ? QuotaSpec.UNLIMITED : r.nextInt((int) cap + 1);
            int lend = r.nextInt(3) == 0 ? QuotaSpec.UNLIMITED : r.nextInt(nominal + 1);
            q.add(new QuotaSpec(fleet.poolName(p), nominal, borrow, lend));
        }
        return q;
    }

    /** A random node placement policy; fgd with a random task mix. */
    public static PlacementSettings placement(Random r, Fleet fleet) {
        String policy = FITS.get(r.nextInt(FITS.size()));
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

    public static JobSpec randomJob(Random r, Fleet fleet, String id, String project, List<String> awards) {
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

    private Command finishSomething(Engine engine) {
        List<Job> running = new ArrayList<>(engine.state().running().byDeadline());
        if (running.isEmpty()) return new Command.JobFinished(now, "nothing-runs", true);
        Job j = running.get(r.nextInt(Math.min(running.size(), 8)));
        // Finish at its deadline at the latest (jobs cannot outlive their walltime) or now.
        long t = Math.max(now, Math.min(j.deadline() + (r.nextInt(10) == 0 ? 100 : 0), now + r.nextInt(3600)));
        now = t;
        if (r.nextInt(6) == 0) {
            // A site's report (issue 18): its outcome (now and then one a site may not report: refused) and how long the run
            // held its GPUs there (now and then -1: until now, or a malformed -5: refused).
            kr.nuri.core.job.Outcome[] outcomes = kr.nuri.core.job.Outcome.values();
            kr.nuri.core.job.Outcome o = outcomes[r.nextInt(outcomes.length)];
            long ran = switch (r.nextInt(8)) {
                case 0 -> -1;
                case 1 -> -5;
                default -> r.nextLong(Math.max(1, t - j.startTime() + 30));
            };
            return new Command.JobFinished(t, j.id(), o == kr.nuri.core.job.Outcome.COMPLETED, o, ran, "site report");
        }
        return new Command.JobFinished(t, j.id(), r.nextInt(10) > 0);
    }

    /**
     * A tenant created under a random one (an organisation under a sector, a project under it...); now and then a name
     * taken or malformed, or under a project that has had jobs (refused). Created projects take submissions and quotas.
     */
    private Command createTenant(Engine engine) {
        var tree = engine.state().tenants();
        String parent = tree.name(r.nextInt(tree.size()));
        String name = switch (r.nextInt(10)) {
            case 0 -> parent;
            case 1 -> "no good";
            default -> "t" + n;
        };
        return new Command.CreateTenant(now, name, parent, 1 + r.nextInt(3), r.nextInt(4) == 0);
    }

    /**
     * A block added (of a model the fleet has or a new one, owned by a random tenant or no one, in a site it has or a new
     * one) or a block given to another owner (refused while it runs jobs or its pool cannot spare it, and now and then
     * for a name it does not have).
     */
    private Command changeFleet(Engine engine) {
        var f = engine.state().fleet();
        var tree = engine.state().tenants();
        String owner = r.nextInt(4) == 0 ? null : tree.name(r.nextInt(tree.size()));
        if (r.nextBoolean()) {
            String site = r.nextInt(4) == 0 ? "s-new" + n : f.siteName(r.nextInt(f.siteCount()));
            String model = r.nextInt(5) == 0 ? "X" + r.nextInt(3) : f.models().get(r.nextInt(f.modelCount()));
            return new Command.AddBlock(now, site, "blk" + n, model, owner, 1 + r.nextInt(2), 1 + r.nextInt(4), 1 << r.nextInt(4));
        }
        String block = r.nextInt(10) == 0 ? "nowhere" : f.blockName(r.nextInt(f.blockCount()));
        return new Command.SetBlockOwner(now, block, owner);
    }

    private Command awardCommand(Engine engine) {
        // Grants may be refused (a dedicated award beyond what its pool can guarantee): revise only those granted.
        List<String> granted = awards.stream().filter(id -> engine.award(id) != null).toList();
        if (!granted.isEmpty() && r.nextBoolean()) {
            String id = granted.get(r.nextInt(granted.size()));
            AwardSpec a = engine.award(id);
            return new Command.ReviseAward(now, id, Math.max(1, a.budgetGpuSeconds() / 2 + r.nextInt(1_000_000)),
                    a.to() + r.nextInt(100_000) - 20_000);
        }
        String id = "award-" + awards.size();
        awards.add(id);
        String[] holders = {"pub", "ind", PROJECTS[r.nextInt(PROJECTS.length)]};
        // Dedicated capacity on a GPU model (the holder's pool of it) or on a pool by name (granted by its owner).
        boolean byPool = r.nextBoolean();
        String model = byPool ? fleet.pools().get(r.nextInt(fleet.poolCount())) : fleet.models().get(r.nextInt(fleet.modelCount()));
        long gpus = byPool ? fleet.gpusOfPool(fleet.poolIndex(model)) : fleet.gpusOfModel(fleet.modelIndex(model));
        AwardSpec spec = r.nextBoolean()
                ? new AwardSpec(id, holders[r.nextInt(3)], AwardSpec.Kind.BUDGET, r.nextBoolean() ? model : null,
                        1 + r.nextInt(5_000_000), 0, now - r.nextInt(1000), now + 1 + r.nextInt(200_000))
                : new AwardSpec(id, holders[r.nextInt(3)], AwardSpec.Kind.DEDICATED, model, 0,
                        1 + r.nextInt((int) gpus), now + r.nextInt(5000), now + 5001 + r.nextInt(100_000));
        return new Command.GrantAward(now, spec);
    }

}
