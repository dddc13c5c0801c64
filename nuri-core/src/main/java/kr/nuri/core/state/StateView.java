package kr.nuri.core.state;

import java.util.Collection;
import java.util.Map;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.Job;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.tenancy.FairShare;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.QuotaBook;
import kr.nuri.core.tenancy.TenantPolicies;
import kr.nuri.core.tenancy.TenantTree;

/**
 * The engine's state as adapters (server, simulator, benchmark, CLI) see it: read-only. {@link State} is the one
 * implementation, and only its replay of events changes it ({@code ReplayOnlyTest}); {@code Engine.state()} hands out
 * this view, so an adapter cannot even name a mutator ({@code AdaptersReadOnlyTest}: no adapter refers to
 * {@link State}). The indexes it exposes ({@link Capacity}, {@link QuotaBook}, ...) are read through their queries;
 * their mutators are the replay's alone, by the same rule.
 */
public interface StateView {
    EngineConfig config();

    /** The order the pending queue ranks waiting jobs by. */
    QueueOrder queueOrder();

    Fleet fleet();

    Capacity capacity();

    TenantTree tenants();

    QuotaBook quota();

    /** Why a node is not up, as the operator said it (or "failed"); null when up or not said. */
    String reason(int node);

    /** Who owns, may claim and may run on which pool. */
    Pools pools();

    FairShare fairShare();

    AwardBook awards();

    /** Each tenant's policy (priority classes, walltimes, awards required) and what applies with its ancestors'. */
    TenantPolicies policies();

    PendingQueue queue();

    RunningIndex running();

    long now();

    long nextSeq();

    Job job(String id);

    /** The job {@code user} submitted with {@code submitKey}, or null. */
    Job jobBySubmitKey(String user, String submitKey);

    Collection<Job> jobs();

    Map<String, Reservation> reservations();

    /** GPU-seconds charged to a tenant's subtree by finished runs. */
    long chargedGpuSeconds(int tenant);

    long chargedGpuSecondsOfModel(int model);

    long chargedGpuSeconds();

    /** The earliest start among reservations other than {@code exceptJob}'s, or Long.MAX_VALUE. */
    long earliestReservationStart(String exceptJob);

    /** The state hash (see {@code StateHash#of}). */
    long hash();

    /** A copy of the state, for snapshots. */
    Snapshot snapshot();
}
