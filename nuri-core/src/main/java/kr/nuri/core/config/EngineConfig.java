package kr.nuri.core.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * Everything an engine is built from: the fleet, the quota tree, the priority classes, initial awards and
 * the scheduling knobs. Validated here once; the engine trusts it afterwards.
 */
public record EngineConfig(Fleet fleet, List<TenantSpec> tenants, List<PriorityClass> classes, List<AwardSpec> awards,
                           long fairShareHalfLife, SchedulerSettings scheduler, AssertionLevel assertions, int runtimeTenants,
                           List<kr.nuri.core.fleet.FleetChange> fleetChanges) {

    /** A config of the fleet file's tenants and fleet alone (nothing created or changed at runtime). */
    public EngineConfig(Fleet fleet, List<TenantSpec> tenants, List<PriorityClass> classes, List<AwardSpec> awards,
                        long fairShareHalfLife, SchedulerSettings scheduler, AssertionLevel assertions) {
        this(fleet, tenants, classes, awards, fairShareHalfLife, scheduler, assertions, 0, List.of());
    }

    public static final long DAY = 86_400;

    /** inference &gt; training &gt; scavenger, as most GPU sites configure them. */
    public static final List<PriorityClass> DEFAULT_CLASSES = List.of(
            new PriorityClass("inference", 300, DAY, 30 * DAY, false),
            new PriorityClass("training", 200, 2 * DAY, 14 * DAY, false),
            new PriorityClass("scavenger", 100, 4 * 3600, 2 * DAY, true));

    public EngineConfig {
        tenants = List.copyOf(tenants);
        fleetChanges = fleetChanges == null ? List.of() : List.copyOf(fleetChanges);
        classes = classes == null || classes.isEmpty() ? DEFAULT_CLASSES : List.copyOf(classes);
        awards = awards == null ? List.of() : List.copyOf(awards);
        scheduler = scheduler == null ? SchedulerSettings.DEFAULT : scheduler;
        assertions = assertions == null ? AssertionLevel.OFF : assertions;
        if (runtimeTenants < 0 || runtimeTenants > tenants.size()) {
            throw new IllegalArgumentException("runtimeTenants=" + runtimeTenants + " of " + tenants.size() + " tenants");
        }
        if (fairShareHalfLife <= 0) {
            throw new IllegalArgumentException("fairShareHalfLife=" + fairShareHalfLife + ". Maybe 604800 (7 days)?");
        }
        Set<String> names = new HashSet<>();
        for (PriorityClass c : classes) {
            if (!names.add(c.name())) throw new IllegalArgumentException("priority class '" + c.name() + "' is defined twice");
        }
        for (TenantSpec t : tenants) {
            for (QuotaSpec q : t.quotas()) {
                if (fleet.modelIndex(q.model()) < 0 && fleet.poolIndex(q.model()) < 0) {
                    throw new IllegalArgumentException("tenant '" + t.name() + "' has a quota for GPU model '" + q.model()
                            + "', which fleet '" + fleet.name() + "' does not have. Maybe one of " + fleet.models() + " or pools " + fleet.pools() + "?");
                }
            }
        }
        checkPools(fleet, tenants, awards);
    }

    /**
     * Every quota and dedicated award names one pool for its tenant. (Whether the tenant may claim it and whether the pool
     * can honour it are checked where guarantees are made: the fleet file's reader and the engine's validator. A server
     * rebuilds its engine from the quotas its journal began with, which may no longer fit a file that since shrank.)
     */
    private static void checkPools(Fleet fleet, List<TenantSpec> tenants, List<AwardSpec> awards) {
        TenantTree tree = new TenantTree(tenants);
        Pools pools = new Pools(fleet, tree);
        for (TenantSpec t : tenants) {
            int ti = tree.index(t.name());
            for (QuotaSpec q : t.quotas()) pools.resolve(ti, q.model());
        }
        for (AwardSpec a : awards) {
            int ti = tree.index(a.tenant());
            if (a.kind() == AwardSpec.Kind.DEDICATED && ti >= 0) pools.resolve(ti, a.model());
        }
    }

    /** A config with default classes, a 7-day half-life and no awards. */
    public static EngineConfig of(Fleet fleet, List<TenantSpec> tenants) {
        return new EngineConfig(fleet, tenants, DEFAULT_CLASSES, List.of(), 7 * DAY, SchedulerSettings.DEFAULT, AssertionLevel.OFF);
    }

    /** The projects: tenants that are no tenant's parent (the leaves of the quota tree, where jobs run). */
    public List<String> projects() {
        Set<String> parents = new HashSet<>();
        for (TenantSpec t : tenants) {
            if (t.parent() != null) parents.add(t.parent());
        }
        return tenants.stream().map(TenantSpec::name).filter(n -> !parents.contains(n)).toList();
    }

    public EngineConfig withAssertions(AssertionLevel level) {
        return new EngineConfig(fleet, tenants, classes, awards, fairShareHalfLife, scheduler, level, runtimeTenants, fleetChanges);
    }

    public EngineConfig withAwards(List<AwardSpec> list) {
        return new EngineConfig(fleet, tenants, classes, list, fairShareHalfLife, scheduler, assertions, runtimeTenants, fleetChanges);
    }

    /** 2026-01-01T00:00:00Z: the instant a simulated clock's 0 stands for (the simulator's national mix, the benchmark). */
    public static final long SIMULATED_EPOCH = 1_767_225_600L;

    /**
     * This fleet on a simulated clock whose 0 is {@link #SIMULATED_EPOCH}: award windows (dated in the fleet file) moved by
     * as much, so that an award of 2026 is active, charged and run out in the simulation's first year as it would be then.
     */
    public EngineConfig onSimulatedClock() {
        List<AwardSpec> shifted = new java.util.ArrayList<>();
        for (AwardSpec a : awards) {
            shifted.add(new AwardSpec(a.id(), a.tenant(), a.kind(), a.model(), a.budgetGpuSeconds(), a.gpus(),
                    a.from() - SIMULATED_EPOCH, a.to() - SIMULATED_EPOCH));
        }
        return withAwards(shifted);
    }

    /** The policy that applies to tenant {@code name} (its own, the gaps filled from its ancestors'). */
    public kr.nuri.core.tenancy.TenantPolicy policyOf(String name) {
        var tree = new kr.nuri.core.tenancy.TenantTree(tenants);
        return new kr.nuri.core.tenancy.TenantPolicies(tree, tenants).effective(tree.index(name));
    }

    public EngineConfig withScheduler(SchedulerSettings settings) {
        return new EngineConfig(fleet, tenants, classes, awards, fairShareHalfLife, settings, assertions, runtimeTenants, fleetChanges);
    }

    /**
     * This config with a tenant created at runtime: it comes after every tenant before it in the engine's indexes (the
     * fleet file's in the tree's order, then those created at runtime in the order they were), so no index moves.
     */
    public EngineConfig withCreatedTenant(TenantSpec spec) {
        List<TenantSpec> more = new java.util.ArrayList<>(tenants);
        more.add(spec);
        return new EngineConfig(fleet, more, classes, awards, fairShareHalfLife, scheduler, assertions, runtimeTenants + 1, fleetChanges);
    }

    /**
     * This config with a change of the fleet made at runtime ({@link #fleet} is the fleet after it; {@link #fleetChanges} the
     * changes since the fleet file, in order).
     */
    public EngineConfig withFleetChange(kr.nuri.core.fleet.FleetChange change) {
        List<kr.nuri.core.fleet.FleetChange> more = new java.util.ArrayList<>(fleetChanges);
        more.add(change);
        return new EngineConfig(change.apply(fleet), tenants, classes, awards, fairShareHalfLife, scheduler, assertions, runtimeTenants, more);
    }

    /** The tenants created at runtime, in creation order (the last {@link #runtimeTenants} of {@link #tenants}). */
    public List<TenantSpec> createdTenants() {
        return tenants.subList(tenants.size() - runtimeTenants, tenants.size());
    }

    /** Index of a priority class by name (case-insensitive), or -1. */
    public int classIndex(String name) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).name().equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    /** The quota tree in the engine's order. */
    public kr.nuri.core.tenancy.TenantTree tree() {
        return new kr.nuri.core.tenancy.TenantTree(tenants, runtimeTenants);
    }

}
