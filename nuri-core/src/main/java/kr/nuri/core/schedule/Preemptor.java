package kr.nuri.core.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;
import java.util.List;
import java.util.function.Consumer;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.policy.Preemption;
import kr.nuri.core.state.State;
import kr.nuri.core.util.IntList;
import kr.nuri.core.util.Paged;

/**
 * Frees room for a blocked job by ending preemptible running jobs, when that is allowed:
 * <ul>
 *   <li><b>reclaim</b>: a job inside its project's own quota may end jobs that other projects run on
 *       borrowed quota (lent capacity goes back to its owner, as Kueue's {@code reclaimWithinCohort});</li>
 *   <li>whom the {@link Preemption} policy lets it end: preemptible jobs of lower priority classes
 *       ({@code priority}), and of its own class with more walltime left than it needs ({@code remaining-time}).</li>
 * </ul>
 * Victims are taken cheapest first (lowest priority, then least work lost) until the job both fits its
 * topology and passes its quota check; then every victim whose return still leaves it feasible is spared,
 * so the set is minimal. Candidates are first counted in scratch arrays; victims are lifted out of the capacity
 * and quota indexes only once the job could fit, and all of it is undone; only the final decision is emitted as events.
 *
 * <p>A measured hot path (preemption searches were 43% of the churn benchmark's engine time): its scratch arrays, stamps
 * and marks are kept together in this one class, over the 400 lines a class here should keep to.
 */
final class Preemptor {
    private final State state;
    private final int maxVictims;
    private final long exemptSeconds;
    private final Preemption rule;
    /** Whether a remembered failure is searched anyway, to check it (FULL assertions). */
    private final boolean verifyMemo;
    /** The earliest time at which a candidate the search under way passed over as exempt becomes eligible. */
    private long eligibleAt;
    /** The time of the search under way. */
    private long now;
    /**
     * Scratch of a dry search, valid where its stamp is the current one: per node, the free GPUs it would have with
     * the candidates tallied so far; per domain, the gang members it would then hold. A search tallies before it
     * lifts anything, because most searches fail (measured: 96% in the churn benchmark) and lifting and restoring
     * a victim updates every capacity index twice.
     */
    private final int[] nodeFree;
    private final int[] nodeStamp;
    private final long[] domainMembers;
    private final int[] domainStamp;
    private int stamp;
    /** Candidates tallied but not lifted, in order. */
    private final List<Job> tallied = new ArrayList<>();
    /**
     * A one-node search's marks on candidates ({@link #searchMark}): the search's base (a multiple of 4, new for
     * each search) plus flags: counted in the first round (a borrowed job may also be a preemptible one), lifted.
     */
    private long markBase;
    /** Per running job (by submit sequence), the one-node search's mark. */
    private final Paged.Longs searchMark = new Paged.Longs(0);
    /** Failed searches, remembered per waiting job. */
    private final SearchMemo failures;
    private static final int COUNTED_FIRST = 1;
    private static final int LIFTED = 2;
    /**
     * A one-node search's (node, candidate) pairs, in the order counted, chained per node: a node's first and last
     * pair (valid where its {@link #nodeStamp} is current) and each pair's next on the same node (-1 = none).
     */
    private final List<Job> pairJobs = new ArrayList<>();
    private final IntList pairNext = new IntList();
    private final int[] nodeFirstPair;
    private final int[] nodeLastPair;

    Preemptor(State state, int maxVictims, long exemptSeconds, Preemption rule) {
        this.verifyMemo = state.config().assertions() == AssertionLevel.FULL;
        this.exemptSeconds = exemptSeconds;
        this.rule = rule;
        this.failures = new SearchMemo(state);
        this.state = state;
        this.maxVictims = maxVictims;
        var fleet = state.fleet();
        nodeFree = new int[fleet.nodeCount()];
        nodeStamp = new int[fleet.nodeCount()];
        nodeFirstPair = new int[fleet.nodeCount()];
        nodeLastPair = new int[fleet.nodeCount()];
        int domains = Math.max(Math.max(fleet.rackCount(), fleet.blockCount()), fleet.siteCount() * fleet.poolCount());
        domainMembers = new long[Math.max(domains, fleet.poolCount())];
        domainStamp = new int[domainMembers.length];
    }

    /** Starts a new scratch generation (a wrap-around clears the stamps). */
    private void nextStamp() {
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(nodeStamp, 0);
            Arrays.fill(domainStamp, 0);
            stamp = 1;
        }
    }

    private boolean reclaimable(Job job, int m) {
        return !state.running().borrowed(m).isEmpty() && state.quota().withinOwnQuota(job.project(), m, job.totalGpus());
    }

    /**
     * Reclaim takes borrowed jobs of other projects, and, for a project's guaranteed (non-preemptible) work, its own
     * borrowed jobs too: they are the project's preemptible overflow, and its quota is its guaranteed work's first.
     */
    private static boolean ownReclaimSkips(Job v, Job job) {
        return v.project() == job.project() && job.preemptible();
    }

    /** Whether running job {@code v} may be ended for {@code job} (reclaim aside). */
    private boolean mayEnd(Job v, Job job) {
        return rule.mayEnd(v, job, now);
    }

    /** Candidates come lowest class first: whether one that may not be ended stops the scan. */
    private boolean scanEnds(Job v, Job job) {
        return rule.scanEnds(v, job);
    }

    /**
     * Ends victims so that {@code job} can start; returns whether it did.
     *
     * <p>Most searches fail (96% in the churn benchmark), and a job that failed is searched for again in pass after
     * pass. A search reads only the indexes of the job's GPU models and, through the exempt time, the clock, so a
     * failure is remembered on the job with its models' index versions: while none of them moved and no passed-over
     * candidate has come out of its exempt time, the search would fail again and is not run (unless the rule's
     * eligibility moves with the clock alone, {@link Preemption#memoizable()}). Under {@link AssertionLevel#FULL} every remembered failure is
     * searched anyway and must fail.
     */
    boolean preemptFor(Job job, long now, boolean mayUseReserved, Consumer<Event> emit) {
        if (!rule.memoizable()) return search(job, now, mayUseReserved, emit);
        if (failures.knownToFail(job, now, mayUseReserved)) {
            if (verifyMemo && search(job, now, mayUseReserved, e -> {})) {
                throw new IllegalStateException("preemption search for job " + job.id() + " was remembered as failing but finds victims");
            }
            return false;
        }
        eligibleAt = Long.MAX_VALUE;
        if (search(job, now, mayUseReserved, emit)) return true;
        failures.remember(job, eligibleAt, mayUseReserved);
        return false;
    }

    private boolean search(Job job, long now, boolean mayUseReserved, Consumer<Event> emit) {
        this.now = now;
        long fingerprint = verifyMemo ? state.indexFingerprint() : 0;
        for (int m : job.allowedPools()) {
            boolean reclaim = reclaimable(job, m);
            // An upper bound first: even every eligible victim would not free enough GPUs.
            long reachable = state.capacity().freeGpus(m, mayUseReserved) + state.running().preemptibleGpusBelow(Level.FLEET, m, rule.victimBound(job.priority()))
                    + (reclaim ? state.running().borrowedGpus(m) : 0);
            if (reachable < job.totalGpus()) continue;
            List<Job> victims = new ArrayList<>();
            int domain = -1;
            try {
                if (job.spec().members() == 1 || level(job) == Level.NODE) {
                    domain = collectOnOneNode(job, m, reclaim, victims, mayUseReserved);
                } else {
                    int target = promisingDomain(job, m, mayUseReserved);
                    tallied.clear();
                    if (target >= 0) domain = collect(job, m, eligible(state.running().preemptible(m)), victims, true, mayUseReserved, target);
                    if (domain < 0 && reclaim && victims.size() + tallied.size() < maxVictims) {
                        // Reclaim goes on from where the priority search left the fleet, its candidates gone.
                        for (Job t : tallied) {
                            lift(t);
                            victims.add(t);
                        }
                        tallied.clear();
                        domain = collect(job, m, eligible(state.running().borrowed(m)), victims, false, mayUseReserved, -1);
                    }
                }
                if (domain >= 0) {
                    // Spare every victim whose return still leaves the job feasible in the chosen domain.
                    for (int i = victims.size() - 2; i >= 0; i--) {
                        Job v = victims.get(i);
                        restore(v);
                        if (fitsIn(job, m, domain, mayUseReserved)) {
                            victims.remove(i);
                        } else {
                            lift(v);
                        }
                    }
                }
            } finally {
                for (Job v : victims) restore(v);
            }
            if (verifyMemo && state.indexFingerprint() != fingerprint) {
                throw new IllegalStateException("the preemption search for job " + job.id() + " left the capacity or quota indexes changed");
            }
            if (domain >= 0) {
                for (Job v : victims) {
                    emit.accept(new Event.JobEnded(now, v.id(), Outcome.PREEMPTED, now, v.spec().requeue(),
                            "preempted by " + job.id()));
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Lifts candidates in cost order until the job is feasible: by priority (lower classes only; the set is
     * sorted by priority, so the scan stops at the first that is not lower), or by reclaim (borrowed jobs
     * of other projects). The job fitted nowhere before, so only domains holding a lifted victim's nodes
     * can have become feasible: those are the only ones checked. Returns the feasible domain, or -1.
     *
     * <p>Candidates are first only tallied ({@link #tally}): until the GPUs and a domain's nodes would suffice,
     * the job cannot be feasible, so nothing is lifted; from that candidate on, the tallied ones are lifted and
     * the search goes on as described, with the same outcome as lifting from the start. Candidates still only
     * tallied when the search fails stay in {@link #tallied}.
     */
    private int collect(Job job, int m, Iterable<Job> candidates, List<Job> victims, boolean byPriority,
                        boolean mayUseReserved, int onlyDomain) {
        long freed = 0;
        long free = state.capacity().freeGpus(m, mayUseReserved); // includes victims lifted so far
        // Reclaim runs after the priority search lifted up to maxVictims: test membership in a set, not the list.
        Set<Job> liftedBefore = byPriority || victims.isEmpty() ? Set.of() : new HashSet<>(victims);
        Level level = level(job);
        boolean dry = true;
        nextStamp();
        for (Job v : candidates) {
            if (victims.size() + tallied.size() >= maxVictims) return -1;
            if (byPriority && !mayEnd(v, job)) {
                if (scanEnds(v, job)) return -1;
                continue;
            }
            if (!byPriority && (ownReclaimSkips(v, job) || liftedBefore.contains(v))) continue;
            if (exempt(v)) continue;
            if (onlyDomain >= 0 && !touches(v, onlyDomain, level)) continue;
            freed += v.totalGpus();
            if (dry) {
                tallied.add(v);
                if (!tally(v, job, level, mayUseReserved) || free + freed < job.totalGpus()) continue;
                for (Job t : tallied) {
                    lift(t);
                    victims.add(t);
                }
                tallied.clear();
                dry = false;
            } else {
                lift(v);
                victims.add(v);
            }
            if (free + freed < job.totalGpus() || !quotaAllows(job, m)) continue;
            for (int n : v.nodes()) {
                int d = state.fleet().domainOf(level, n);
                if (fitsIn(job, m, d, mayUseReserved)) return d;
            }
        }
        return -1;
    }

    /**
     * Counts a candidate's GPUs as freed on its nodes, in this search's scratch; returns whether a domain of one of
     * its nodes would then hold the gang's members (what {@link Capacity#members} would say had the candidates
     * tallied so far been lifted).
     */
    private boolean tally(Job v, Job job, Level level, boolean mayUseReserved) {
        Capacity c = state.capacity();
        int g = job.spec().gpusPerMember();
        boolean enough = false;
        for (int i = 0; i < v.nodes().length; i++) {
            int n = v.nodes()[i];
            int d = state.fleet().domainOf(level, n);
            if (domainStamp[d] != stamp) {
                domainStamp[d] = stamp;
                domainMembers[d] = c.members(level, d, g, mayUseReserved);
            }
            if (nodeStamp[n] != stamp) {
                nodeStamp[n] = stamp;
                nodeFree[n] = c.free(n);
            }
            if (c.health(n) == Health.UP && (mayUseReserved || !c.reserved(n))) {
                int before = nodeFree[n] / g;
                nodeFree[n] += v.gpus()[i];
                domainMembers[d] += nodeFree[n] / g - before;
            }
            if (domainMembers[d] >= job.spec().members()) enough = true;
        }
        return enough;
    }

    /**
     * A victim set (cheapest first: by priority, then most recently started) without the jobs still exempt. Within a
     * priority class those are the most recently started, so they come first: each class's are jumped over in the
     * set instead of being walked one by one (in the churn benchmark most candidates were such scavengers).
     */
    private Iterable<Job> eligible(NavigableSet<Job> set) {
        return exemptSeconds <= 0 ? set : VictimOrder.startedBy(set, now - exemptSeconds,
                start -> eligibleAt = Math.min(eligibleAt, start + exemptSeconds));
    }

    /** Whether a job has run too briefly to be preempted yet (Slurm's PreemptExemptTime). */
    private boolean exempt(Job v) {
        return now - v.startTime() < exemptSeconds;
    }

    private boolean touches(Job v, int domain, Level level) {
        for (int n : v.nodes()) {
            if (state.fleet().domainOf(level, n) == domain) return true;
        }
        return false;
    }

    /**
     * An upper bound before lifting anything: among the domains of the gang's level whose free GPUs plus the
     * GPUs of preemptible lower-class jobs cover the gang, the one with the most free GPUs (fewest victims);
     * -1 when no domain could hold it even if every such job were preempted.
     */
    private int promisingDomain(Job job, int m, boolean mayUseReserved) {
        Level level = level(job);
        long need = job.totalGpus();
        Capacity c = state.capacity();
        int[] domains = switch (level) {
            case SITE -> state.fleet().siteDomainsOfPool(m);
            case RACK -> state.fleet().racksOfPool(m);
            case BLOCK -> state.fleet().blocksOfPool(m);
            default -> new int[] {m}; // FLEET: the model is the domain
        };
        int best = -1;
        long bestFree = -1;
        for (int d : domains) {
            long free = c.freeIn(level, d, mayUseReserved);
            if (free > bestFree && free + state.running().preemptibleGpusBelow(level, d, rule.victimBound(job.priority())) >= need) {
                best = d;
                bestFree = free;
            }
        }
        return best;
    }

    /** The level the gang must fit in: its own if required, else anywhere (it may widen). */
    private static Level level(Job job) {
        return job.spec().levelRequired() ? job.spec().level() : Level.FLEET;
    }

    private boolean quotaAllows(Job job, int m) {
        return state.quota().admits(job.project(), m, job.totalGpus(), job.preemptible());
    }

    /** Whether the job fits, quota included, in one domain of its level (a node, for node-level gangs). */
    private boolean fitsIn(Job job, int m, int domain, boolean mayUseReserved) {
        if (!quotaAllows(job, m)) return false;
        Capacity c = state.capacity();
        Level level = level(job);
        if (level == Level.NODE) {
            return c.usable(domain) >= job.totalGpus() && (mayUseReserved || !c.reserved(domain));
        }
        return c.members(level, domain, job.spec().gpusPerMember(), mayUseReserved) >= job.spec().members();
    }

    /**
     * For a job that needs one node: tallies, per node, the usable free GPUs plus the GPUs of eligible
     * candidates seen so far (cheapest first), and lifts only the candidates of the first node that can
     * hold the job, instead of lifting victims scattered over the fleet. Returns the domain (of the job's
     * level) of that node, or -1.
     */
    private int collectOnOneNode(Job job, int m, boolean reclaim, List<Job> victims, boolean mayUseReserved) {
        Capacity c = state.capacity();
        nextStamp();
        markBase += 4;
        pairJobs.clear();
        pairNext.clear();
        int seen = 0;
        for (int round = 0; round < (reclaim ? 2 : 1); round++) {
            boolean byPriority = round == 0;
            for (Job v : eligible(byPriority ? state.running().preemptible(m) : state.running().borrowed(m))) {
                if (byPriority && !mayEnd(v, job)) {
                    if (scanEnds(v, job)) break;
                    continue;
                }
                if (!byPriority && ownReclaimSkips(v, job)) continue;
                if (exempt(v)) continue;
                if (seen++ >= maxVictims) return -1;
                if (!byPriority && marked(v, COUNTED_FIRST)) continue; // counted on every node in the first round
                if (byPriority && reclaim) mark(v, COUNTED_FIRST);
                for (int i = 0; i < v.nodes().length; i++) {
                    int n = v.nodes()[i];
                    if (!mayUseReserved && c.reserved(n)) continue;
                    if (nodeStamp[n] != stamp) {
                        nodeStamp[n] = stamp;
                        nodeFree[n] = c.usable(n);
                        nodeFirstPair[n] = -1;
                    }
                    int pair = pairJobs.size();
                    pairJobs.add(v);
                    pairNext.add(-1);
                    if (nodeFirstPair[n] < 0) nodeFirstPair[n] = pair;
                    else pairNext.set(nodeLastPair[n], pair);
                    nodeLastPair[n] = pair;
                    nodeFree[n] += v.gpus()[i];
                    if (nodeFree[n] < job.totalGpus()) continue;
                    for (int p = nodeFirstPair[n]; p >= 0; p = pairNext.get(p)) {
                        Job x = pairJobs.get(p);
                        if (!marked(x, LIFTED)) {
                            mark(x, LIFTED);
                            lift(x);
                            victims.add(x);
                        }
                    }
                    int d = state.fleet().domainOf(level(job), n);
                    if (fitsIn(job, m, d, mayUseReserved)) return d;
                }
            }
        }
        return -1;
    }

    private boolean marked(Job v, int flag) {
        long m = searchMark.get(v.seq());
        return (m & ~3L) == markBase && (m & flag) != 0;
    }

    private void mark(Job v, int flag) {
        long m = searchMark.get(v.seq());
        searchMark.set(v.seq(), ((m & ~3L) == markBase ? m : markBase) | flag);
    }

    private void lift(Job v) {
        Capacity c = state.capacity();
        for (int i = 0; i < v.nodes().length; i++) c.release(v.nodes()[i], v.gpus()[i]);
        state.quota().addUsage(v.project(), v.pool(), -v.totalGpus());
        if (v.borrowed()) state.quota().addBorrowed(v.project(), v.pool(), -v.totalGpus());
    }

    private void restore(Job v) {
        Capacity c = state.capacity();
        for (int i = 0; i < v.nodes().length; i++) c.take(v.nodes()[i], v.gpus()[i]);
        state.quota().addUsage(v.project(), v.pool(), v.totalGpus());
        if (v.borrowed()) state.quota().addBorrowed(v.project(), v.pool(), v.totalGpus());
    }
}
