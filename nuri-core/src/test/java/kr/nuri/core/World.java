package kr.nuri.core;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * A test context: a small fleet, a quota tree, an engine with full invariant checks, a fake clock that tests
 * move by hand, and a journal of every event so tests can rebuild the engine and compare hashes.
 */
public final class World {
    public final Engine engine;
    public final EngineConfig config;
    public final List<Event> journal = new ArrayList<>();
    public long now;

    public World(EngineConfig config) {
        this(config, kr.nuri.core.schedule.Policies.STANDARD);
    }

    /** A world whose engine makes its policies from {@code policies}. */
    public World(EngineConfig config, kr.nuri.core.schedule.Policies policies) {
        this.config = config.withAssertions(AssertionLevel.FULL);
        this.engine = new Engine(this.config, policies);
    }

    /**
     * Site s1: block h1 of H100 (2 racks × 4 nodes × 8 GPUs), block h2 the same; block g1 of GB200 (2 NVL72
     * racks of 18 × 4-GPU trays). Site s2: block h3 of H100 (4 racks × 4 × 8). 256 H100 + 144 GB200. No block names an
     * owner, so there is one pool per model, which any tenant may claim ({@link #ownedFleet} has owners).
     */
    public static Fleet smallFleet() {
        return new FleetBuilder("small")
                .site("s1")
                .block("h1", "H100", null).racks(2, 4, 8)
                .block("h2", "H100", null).racks(2, 4, 8)
                .block("g1", "GB200", null).racks(2, 18, 4)
                .site("s2")
                .block("h3", "H100", null).racks(4, 4, 8)
                .build();
    }

    /** nation → public (org-a: a1, a2; org-b: b1) and industry (ind: i1). H100 quotas add up to the 256 H100s. */
    public static List<TenantSpec> tenants() {
        return List.of(
                new TenantSpec("nation", null, 1, List.of()),
                new TenantSpec("public", "nation", 1, List.of()),
                new TenantSpec("industry", "nation", 1, List.of()),
                new TenantSpec("org-a", "public", 1, List.of()),
                new TenantSpec("org-b", "public", 1, List.of()),
                new TenantSpec("a1", "org-a", 1, List.of(q("H100", 64), q("GB200", 72))),
                new TenantSpec("a2", "org-a", 1, List.of(q("H100", 32), q("GB200", 72))),
                new TenantSpec("b1", "org-b", 1, List.of(q("H100", 32))),
                new TenantSpec("ind", "industry", 1, List.of()),
                new TenantSpec("i1", "ind", 1, List.of(q("H100", 128))));
    }

    /**
     * The small fleet's shape with owners: org-a owns h1 (64 H100) and g1 (144 GB200), org-b owns h2 (64 H100), ind owns
     * h3 (128 H100). Pools H100@org-a, H100@org-b, GB200@org-a, H100@ind.
     */
    public static Fleet ownedFleet() {
        return new FleetBuilder("owned")
                .site("s1")
                .block("h1", "H100", "org-a").racks(2, 4, 8)
                .block("h2", "H100", "org-b").racks(2, 4, 8)
                .block("g1", "GB200", "org-a").racks(2, 18, 4)
                .site("s2")
                .block("h3", "H100", "ind").racks(4, 4, 8)
                .build();
    }

    /**
     * nation → public (isolated: org-a with a1, a2; org-b with b1) and industry (isolated: ind with i1). Each project's
     * quota is on its organisation's pools, and they add up to each pool's GPUs.
     */
    public static List<TenantSpec> ownedTenants() {
        return List.of(
                new TenantSpec("nation", null, 1, List.of()),
                new TenantSpec("public", "nation", 1, List.of(), null, true),
                new TenantSpec("industry", "nation", 1, List.of(), null, true),
                new TenantSpec("org-a", "public", 1, List.of()),
                new TenantSpec("org-b", "public", 1, List.of()),
                new TenantSpec("a1", "org-a", 1, List.of(q("H100", 32), q("GB200", 72))),
                new TenantSpec("a2", "org-a", 1, List.of(q("H100", 32), q("GB200", 72))),
                new TenantSpec("b1", "org-b", 1, List.of(q("H100", 64))),
                new TenantSpec("ind", "industry", 1, List.of()),
                new TenantSpec("i1", "ind", 1, List.of(q("H100", 128))));
    }

    public static World owned() {
        return new World(EngineConfig.of(ownedFleet(), ownedTenants()));
    }

    static QuotaSpec q(String model, int nominal) {
        return new QuotaSpec(model, nominal, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED);
    }

    public static World small() {
        return new World(EngineConfig.of(smallFleet(), tenants()));
    }

    public static World small(SchedulerSettings settings) {
        return new World(EngineConfig.of(smallFleet(), tenants()).withScheduler(settings));
    }

    public Result apply(Command c) {
        Result r = engine.apply(c);
        journal.addAll(r.events());
        return r;
    }

    public Result submit(JobSpec spec) {
        return apply(new Command.SubmitJob(now, spec));
    }

    public Result finish(String id) {
        return apply(new Command.JobFinished(now, id, true));
    }

    public Result tick() {
        return apply(new Command.Tick(now));
    }

    public Result grant(AwardSpec a) {
        return apply(new Command.GrantAward(now, a));
    }

    public World at(long t) {
        now = t;
        return this;
    }

    public Job job(String id) {
        return engine.job(id);
    }

    /** Rebuilds an engine from the journal alone. */
    /** The scheduler's verdict on a job. */
    public kr.nuri.core.schedule.Verdicts.Verdict verdict(String id) {
        return engine.verdict(job(id));
    }

    public Engine replayed() {
        Engine copy = new Engine(config);
        journal.forEach(copy::replay);
        return copy;
    }
}
