package kr.nuri.core.state;

import java.util.List;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;

/**
 * Everything an engine's state is built from, as plain data: what {@link State#snapshot()} takes and
 * {@link State#restore(Snapshot)} rebuilds every index from. Restoring gives the same {@link State#hash()}
 * and the same decisions afterwards as replaying the whole journal, in time proportional to the state
 * rather than to its history. Arrays indexed by tenant × pool are row-major ({@code t * pools + p}); {@code chargedByModel} is by pool.
 * {@code policies}: the tenants' own policies by name; {@code retired}: the tenants retired, by name (both null in
 * snapshots of builds before them: the fleet file's policies stand, and none is retired); {@code created}: the tenants
 * created at runtime, in order, indexed after the fleet file's (null in snapshots of builds before: none);
 * {@code fleetChanges}: the blocks added and owners changed at runtime, in order (null before: none); {@code nodeReasons}:
 * why nodes are drained, down or retired, by node name (null before: none said).
 */
public record Snapshot(long now, long nextSeq, long charged, long[] chargedByTenant, long[] chargedByModel,
                       int[] quotaNominal, int[] quotaBorrowingLimit, int[] quotaLendingLimit,
                       List<AwardSpec> awards, long[] awardUsed, double[] fairDecayed, long[] fairDecayedAt,
                       byte[] health, List<JobRecord> jobs, List<Reservation> reservations,
                       java.util.Map<String, kr.nuri.core.tenancy.TenantPolicy> policies, List<String> retired,
                       List<kr.nuri.core.tenancy.TenantSpec> created, List<kr.nuri.core.fleet.FleetChange> fleetChanges,
                       java.util.Map<String, String> nodeReasons) {

    /** The changes of the fleet made at runtime (none for snapshots of builds before them). */
    public List<kr.nuri.core.fleet.FleetChange> changesOfFleet() {
        return fleetChanges == null ? List.of() : fleetChanges;
    }

    /**
     * This snapshot for a fleet grown by {@code change} to {@code nodes} nodes (the new ones up) and {@code pools} pools
     * (quota rows widened, the new pools with no quota and no charge).
     */
    public Snapshot withFleetChanged(kr.nuri.core.fleet.FleetChange change, int nodes, int pools) {
        int tenants = chargedByTenant.length;
        int before = tenants == 0 ? 0 : quotaNominal.length / tenants;
        int[] nominal = new int[tenants * pools];
        int[] borrow = new int[tenants * pools];
        int[] lend = new int[tenants * pools];
        java.util.Arrays.fill(borrow, kr.nuri.core.tenancy.QuotaSpec.UNLIMITED);
        java.util.Arrays.fill(lend, kr.nuri.core.tenancy.QuotaSpec.UNLIMITED);
        for (int t = 0; t < tenants; t++) {
            System.arraycopy(quotaNominal, t * before, nominal, t * pools, before);
            System.arraycopy(quotaBorrowingLimit, t * before, borrow, t * pools, before);
            System.arraycopy(quotaLendingLimit, t * before, lend, t * pools, before);
        }
        List<kr.nuri.core.fleet.FleetChange> all = new java.util.ArrayList<>(changesOfFleet());
        all.add(change);
        return new Snapshot(now, nextSeq, charged, chargedByTenant, java.util.Arrays.copyOf(chargedByModel, pools), nominal, borrow, lend,
                awards, awardUsed, fairDecayed, fairDecayedAt, java.util.Arrays.copyOf(health, nodes), jobs, reservations, policies, retired,
                created, List.copyOf(all), nodeReasons);
    }

    /** The tenants created at runtime (none for snapshots of builds before them). */
    public List<kr.nuri.core.tenancy.TenantSpec> createdTenants() {
        return created == null ? List.of() : created;
    }

    /**
     * This snapshot for a state with {@code more} tenants created after it (each with no quota, charge or usage yet),
     * whose quota rows have {@code pools} cells.
     */
    public Snapshot withTenantsAppended(List<kr.nuri.core.tenancy.TenantSpec> more, int pools) {
        int tenants = chargedByTenant.length + more.size();
        int cells = tenants * pools;
        int[] nominal = java.util.Arrays.copyOf(quotaNominal, cells);
        int[] borrow = java.util.Arrays.copyOf(quotaBorrowingLimit, cells);
        int[] lend = java.util.Arrays.copyOf(quotaLendingLimit, cells);
        java.util.Arrays.fill(borrow, quotaBorrowingLimit.length, cells, kr.nuri.core.tenancy.QuotaSpec.UNLIMITED);
        java.util.Arrays.fill(lend, quotaLendingLimit.length, cells, kr.nuri.core.tenancy.QuotaSpec.UNLIMITED);
        List<kr.nuri.core.tenancy.TenantSpec> all = new java.util.ArrayList<>(createdTenants());
        all.addAll(more);
        return new Snapshot(now, nextSeq, charged, java.util.Arrays.copyOf(chargedByTenant, tenants), chargedByModel, nominal, borrow, lend,
                awards, awardUsed, java.util.Arrays.copyOf(fairDecayed, tenants), java.util.Arrays.copyOf(fairDecayedAt, tenants), health,
                jobs, reservations, policies, retired, List.copyOf(all), fleetChanges, nodeReasons);
    }

    /**
     * One job as its events left it; {@code model} is the pool it runs on (named as before pools, when it was the GPU model);
     * {@code held}: a waiting job held (false in snapshots of builds before holds); {@code walltime}: its walltime when it
     * was changed after submission, else 0.
     */
    public record JobRecord(JobSpec spec, long seq, long submitTime, JobState state, long startTime, long endTime, int model,
                            int[] nodes, int[] gpus, boolean borrowed, long gpuSeconds, int runs, Outcome lastOutcome, int[] slots,
                            boolean held, long walltime) {}
}
