package kr.nuri.core.engine;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.schedule.PassStats;
import kr.nuri.core.schedule.Policies;
import kr.nuri.core.schedule.Scheduler;
import kr.nuri.core.schedule.Verdicts;
import kr.nuri.core.state.Snapshot;
import kr.nuri.core.state.State;
import kr.nuri.core.state.StateView;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * The deterministic core: {@link #apply(Command)} validates a command, decides, and returns the events it
 * produced (each already replayed) plus the scheduling it triggered; {@link #replay(Event)} is the only way
 * state changes. The engine is single-threaded, reads no clock and does no I/O: the same commands give the
 * same events and the same {@link #stateHash()}.
 */
public final class Engine {
    /**
     * Rebuilt, with the state carried over by snapshot, when a tenant is created (the tree's indexes are fixed at
     * construction); volatile so that other threads asking {@link #state()} for the tree see the new one.
     */
    private volatile State state;
    private Scheduler scheduler;
    private CommandValidator validator;
    private InvariantChecker checker;
    private final AssertionLevel assertions;
    private final Policies policies;
    private List<Event> out;

    /** An engine with Nuri's policies ({@link Policies#STANDARD}). */
    public Engine(EngineConfig config) {
        this(config, Policies.STANDARD);
    }

    /** An engine whose scheduler makes the policies its configuration names from {@code policies}; an unknown name is refused. */
    public Engine(EngineConfig config, Policies policies) {
        policies.check(config.scheduler());
        this.policies = policies;
        this.assertions = config.assertions();
        build(config);
    }

    private void build(EngineConfig config) {
        State s = new State(config, policies.create(Policies.QUEUE_ORDER, new Policies.Context(config.scheduler(), null, null, null)));
        this.scheduler = new Scheduler(s, policies);
        this.validator = new CommandValidator(s);
        this.checker = new InvariantChecker(s);
        this.state = s;
    }

    /**
     * A tenant created at runtime: the state is carried into an engine built with the tenant appended to the tree (O(state),
     * as rare as creating an organisation). Where the tree has the tenant already (the fleet file lists it since) nothing
     * changes.
     */
    private void created(Event.TenantCreated e) {
        if (state.tenants().index(e.name()) < 0) {
            Snapshot before = state.snapshot();
            TenantSpec spec = new TenantSpec(e.name(), e.parent(), e.weight(), List.of(), null, e.isolated());
            build(state.config().withCreatedTenant(spec));
            state.restore(before.withTenantsAppended(List.of(spec), state.fleet().poolCount()));
        }
        state.replay(e);
    }

    /**
     * A block added or given another owner at runtime: the state is carried into an engine built with the changed fleet
     * (nodes and pools only appended, so no index moves; the new nodes up, the new pools without quota). Where the fleet
     * has the change already (the fleet file lists it since) nothing changes.
     */
    private void fleetChanged(Event e, kr.nuri.core.fleet.FleetChange change) {
        if (change.apply(state.fleet()) != state.fleet()) {
            Snapshot before = state.snapshot();
            build(state.config().withFleetChange(change));
            state.restore(before.withFleetChanged(change, state.fleet().nodeCount(), state.fleet().poolCount()));
        }
        state.replay(e);
    }

    /**
     * A dedicated award names its pool once granted (a GPU model resolves to the pool of it the tenant's line owns now),
     * so that a block added or given to another owner later never makes it name another pool, or several.
     */
    private AwardSpec pinned(AwardSpec a) {
        if (a.kind() != AwardSpec.Kind.DEDICATED || a.model() == null) return a;
        String pool = state.fleet().poolName(state.pools().resolve(state.tenants().index(a.tenant()), a.model()));
        return new AwardSpec(a.id(), a.tenant(), a.kind(), pool, a.budgetGpuSeconds(), a.gpus(), a.from(), a.to());
    }

    private static kr.nuri.core.fleet.FleetChange change(Event e) {
        return switch (e) {
            case Event.BlockAdded b -> kr.nuri.core.fleet.FleetChange.added(b.site(), b.block(), b.model(), b.owner(), b.racks(), b.nodesPerRack(),
                    b.gpusPerNode());
            case Event.BlockOwnerChanged o -> kr.nuri.core.fleet.FleetChange.owner(o.block(), o.owner());
            default -> null;
        };
    }

    /** Applies one command. Never throws for bad input: a bad command comes back as a rejection. */
    public Result apply(Command command) {
        Rejection rejection = validator.validate(command);
        if (rejection != null) return Result.rejected(rejection);
        out = new ArrayList<>();
        try {
            return decide(command);
        } catch (RuntimeException e) {
            int applied = out.size();
            out = null;
            throw new EngineFault(command, applied, e);
        }
    }

    private Result decide(Command command) {
        long now = command.time();
        PassStats pass = null;
        Result.Submitted submitted = null;
        switch (command) {
            case Command.SubmitJob c -> {
                JobSpec spec = validator.withCoveringAward(c.spec(), now);
                emit(new Event.JobSubmitted(now, spec, state.nextSeq()));
                Job job = state.job(spec.id());
                pass = scheduler.consider(job, now, this::emit);
                boolean waits = job.state() == JobState.PENDING;
                submitted = new Result.Submitted(job, job.state(), waits ? scheduler.verdicts().reason(job) : null,
                        waits ? scheduler.verdicts().estimatedStart(job) : -1);
            }
            case Command.CancelJob c -> {
                emit(new Event.JobEnded(now, c.jobId(), Outcome.CANCELLED, now, false, "cancelled"));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.HoldJob c -> {
                emit(new Event.JobHeld(now, c.jobId(), c.hold()));
                pass = scheduler.pass(now, false, this::emit); // a hold may free a reservation; a release may start the job
            }
            case Command.SetWalltime c -> {
                emit(new Event.WalltimeSet(now, c.jobId(), c.walltime()));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.RequeueJob c -> {
                emit(new Event.JobEnded(now, c.jobId(), Outcome.REQUEUED, now, true, c.cause() == null ? "requeued" : c.cause()));
                if (c.hold()) emit(new Event.JobHeld(now, c.jobId(), true));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.JobFinished c -> {
                Job job = state.job(c.jobId());
                if (c.outcome() != null) { // a site's report: its outcome, charged for as long as the run held its GPUs there
                    long held = c.ranSeconds() < 0 ? now : Math.min(now, job.startTime() + c.ranSeconds());
                    emit(new Event.JobEnded(now, c.jobId(), c.outcome(), Math.min(held, job.deadline()),
                            c.outcome() == Outcome.NODE_FAILURE && job.spec().requeue(), c.cause() == null ? "finished" : c.cause()));
                } else {
                    boolean late = now > job.deadline();
                    Outcome outcome = late ? Outcome.TIMEOUT : c.success() ? Outcome.COMPLETED : Outcome.FAILED;
                    emit(new Event.JobEnded(now, c.jobId(), outcome, Math.min(now, job.deadline()), false,
                            late ? "walltime ended" : "finished"));
                }
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.NodeDown c -> {
                int node = state.fleet().nodeIndex(c.node());
                emit(new Event.NodeHealthChanged(now, node, Health.DOWN, "failed"));
                for (Job j : List.copyOf(state.running().onNode(node))) {
                    emit(new Event.JobEnded(now, j.id(), Outcome.NODE_FAILURE, now, j.spec().requeue(),
                            "node " + c.node() + " failed"));
                }
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.NodeUp c -> {
                emit(new Event.NodeHealthChanged(now, state.fleet().nodeIndex(c.node()), Health.UP));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.DrainNode c -> emit(new Event.NodeHealthChanged(now, state.fleet().nodeIndex(c.node()), Health.DRAIN, c.reason()));
            case Command.RetireNode c -> emit(new Event.NodeHealthChanged(now, state.fleet().nodeIndex(c.node()), Health.RETIRED));
            case Command.SetQuota c -> {
                emit(new Event.QuotaSet(now, state.tenants().index(c.tenant()), state.pools().resolve(state.tenants().index(c.tenant()), c.model()),
                        c.nominal(), c.borrowingLimit(), c.lendingLimit()));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.SetTenantPolicy c -> emit(new Event.TenantPolicySet(now, c.tenant(), c.policy()));
            case Command.AddBlock c -> {
                emit(new Event.BlockAdded(now, c.site(), c.block(), c.model(), c.owner(), c.racks(), c.nodesPerRack(), c.gpusPerNode()));
                pass = scheduler.pass(now, true, this::emit); // new GPUs, and the rebuilt scheduler gives every waiting job its reason again
            }
            case Command.SetBlockOwner c -> {
                emit(new Event.BlockOwnerChanged(now, c.block(), c.owner()));
                pass = scheduler.pass(now, true, this::emit);
            }
            case Command.CreateTenant c -> {
                emit(new Event.TenantCreated(now, c.name(), c.parent(), c.weight(), c.isolated()));
                pass = scheduler.pass(now, true, this::emit); // the rebuilt scheduler gives every waiting job its reason again
            }
            case Command.RetireTenant c -> {
                emit(new Event.TenantRetired(now, c.tenant(), c.retired()));
                if (c.retired() && c.cancelJobs()) {
                    int t = state.tenants().index(c.tenant());
                    List<String> ids = new ArrayList<>();
                    for (Job j : state.jobs()) {
                        if (!j.state().isFinal() && state.tenants().isWithin(j.project(), t)) ids.add(j.id());
                    }
                    for (String id : ids) emit(new Event.JobEnded(now, id, Outcome.CANCELLED, now, false, "cancelled: tenant " + c.tenant() + " retired"));
                    pass = scheduler.pass(now, false, this::emit);
                }
            }
            case Command.GrantAward c -> {
                emit(new Event.AwardGranted(now, pinned(c.award())));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.ReviseAward c -> {
                emit(new Event.AwardRevised(now, c.awardId(), c.budgetGpuSeconds(), c.to()));
                pass = scheduler.pass(now, false, this::emit);
            }
            case Command.Tick c -> {
                emit(new Event.ClockAdvanced(now));
                while (!state.running().byDeadline().isEmpty() && state.running().byDeadline().first().deadline() <= now) {
                    Job j = state.running().byDeadline().first();
                    emit(new Event.JobEnded(now, j.id(), Outcome.TIMEOUT, j.deadline(), false, "walltime ended"));
                }
                pass = scheduler.pass(now, c.fullPass(), this::emit);
            }
        }
        List<Event> events = out;
        out = null;
        return new Result(events, null, pass, submitted);
    }

    private void emit(Event e) {
        out.add(e);
        replay(e);
        if (assertions != AssertionLevel.OFF) checker.decided(e);
    }

    /** Applies an event to the state: recovery replays the journal through here. */
    public void replay(Event event) {
        if (event instanceof Event.TenantCreated e) {
            created(e);
            if (assertions == AssertionLevel.FULL) checker.checkAll();
            return;
        }
        if (event instanceof Event.BlockAdded || event instanceof Event.BlockOwnerChanged) {
            fleetChanged(event, change(event));
            if (assertions == AssertionLevel.FULL) checker.checkAll();
            return;
        }
        if (event instanceof Event.JobStarted s) scheduler.started(state.job(s.jobId()));
        if (event instanceof Event.JobEnded e && state.job(e.jobId()) != null) scheduler.ending(state.job(e.jobId()), e.outcome(), e.heldUntil());
        if (assertions == AssertionLevel.OFF) {
            state.replay(event);
            return;
        }
        checker.before(event);
        state.replay(event);
        // FULL checks what CHEAP checks (the bounds that hold when a job starts) and then walks everything.
        checker.after(event, assertions == AssertionLevel.FULL);
        if (assertions == AssertionLevel.FULL) checker.checkAll();
    }

    /** The state as plain data, to store and {@link #restore} later instead of replaying all events. */
    public Snapshot snapshot() {
        return state.snapshot();
    }

    /** Rebuilds a new engine's state from a snapshot taken with the same config. */
    public void restore(Snapshot snapshot) {
        // Tenants created at runtime come first: the snapshot's indexes count them.
        EngineConfig config = state.config();
        for (TenantSpec t : snapshot.createdTenants()) {
            if (state.tenants().index(t.name()) >= 0) {
                throw new IllegalArgumentException("the snapshot created tenant '" + t.name() + "' at runtime, and this engine's config has it"
                        + " already: the snapshot is of another tenant tree");
            }
            config = config.withCreatedTenant(t);
        }
        List<kr.nuri.core.fleet.FleetChange> changes = snapshot.changesOfFleet();
        if (changes.size() < config.fleetChanges().size() || !changes.subList(0, config.fleetChanges().size()).equals(config.fleetChanges())) {
            throw new IllegalArgumentException("the snapshot's fleet changes " + changes + " do not continue this engine's " + config.fleetChanges());
        }
        for (kr.nuri.core.fleet.FleetChange c : changes.subList(config.fleetChanges().size(), changes.size())) config = config.withFleetChange(c);
        if (config != state.config()) build(config);
        state.restore(snapshot);
        if (assertions != AssertionLevel.OFF) checker.checkAll();
    }

    /** The state hash: stable over replay and over reordering the fleet file (nodes, models, tenants enter by name). */
    public long stateHash() {
        return state.hash();
    }

    /** The positional hash journals of format 1 recorded at their checkpoints; only for verifying those. */
    public long positionalStateHash() {
        return state.positionalHash();
    }

    /** Read access for queries, reports and tests: adapters get the read-only view, never the state itself. */
    public StateView state() {
        return state;
    }

    public Job job(String id) {
        return state.job(id);
    }

    /**
     * The scheduler's latest verdict on a job (why it waits, the explanation, the estimated start): meaningful while it
     * waits. Derived data: not part of the state hash.
     */
    public Verdicts.Verdict verdict(Job job) {
        if (job.held()) return new Verdicts.Verdict(kr.nuri.core.job.PendingReason.HELD, "held: it keeps its place and starts only once released", -1);
        return scheduler.verdicts().of(job);
    }

    /** The verdicts, for readers of many jobs. */
    public Verdicts verdicts() {
        return scheduler.verdicts();
    }

    /** Counts jobs in a state (O(jobs)). */
    public long count(JobState s) {
        return state.jobs().stream().filter(j -> j.state() == s).count();
    }

    public AwardSpec award(String id) {
        int a = state.awards().index(id);
        return a < 0 ? null : state.awards().get(a);
    }
}
