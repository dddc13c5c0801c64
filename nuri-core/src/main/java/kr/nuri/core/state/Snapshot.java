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
 * snapshots of builds before them: the fleet file's policies stand, and none is retired).
 */
public record Snapshot(long now, long nextSeq, long charged, long[] chargedByTenant, long[] chargedByModel,
                       int[] quotaNominal, int[] quotaBorrowingLimit, int[] quotaLendingLimit,
                       List<AwardSpec> awards, long[] awardUsed, double[] fairDecayed, long[] fairDecayedAt,
                       byte[] health, List<JobRecord> jobs, List<Reservation> reservations,
                       java.util.Map<String, kr.nuri.core.tenancy.TenantPolicy> policies, List<String> retired) {

    /** One job as its events left it; {@code model} is the pool it runs on (named as before pools, when it was the GPU model). */
    public record JobRecord(JobSpec spec, long seq, long submitTime, JobState state, long startTime, long endTime, int model,
                            int[] nodes, int[] gpus, boolean borrowed, long gpuSeconds, int runs, Outcome lastOutcome, int[] slots) {}
}
