package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Rejection;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.state.Reservation;
import org.junit.jupiter.api.Test;

/** One scenario per scheduling rule of the engine issue, on the small test fleet. */
class SchedulingScenarioTest {
    private static final long HOUR = 3600;

    /**
     * Gives {@code project} a quota of all 256 H100s and fills all 32 H100 nodes with one 8-GPU job each;
     * job f-k has walltime 1000 + 100k.
     */
    private static void fillH100(World w, String project, boolean preemptible, String cls) {
        w.apply(new Command.SetQuota(w.now, project, "H100", 256, -1, -1)); // all the small fleet's H100s
        for (int k = 0; k < 32; k++) {
            assertThat(w.submit(JobSpec.builder("f-" + k, project).gpus(8).models("H100").walltime(1000 + 100L * k)
                    .preemptible(preemptible).priorityClass(cls).build()).accepted()).isTrue();
        }
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isZero();
    }

    @Test
    void aGangStartsWholeInsideTheDomainItAsked() {
        World w = World.small();
        w.submit(JobSpec.builder("rack-gang", "a1").gang(4, 8).models("H100").within(Level.RACK).build());
        w.submit(JobSpec.builder("nvl-gang", "a2").gang(18, 4).models("GB200").within(Level.RACK).build());
        Fleet f = w.engine.state().fleet();
        for (String id : List.of("rack-gang", "nvl-gang")) {
            Job j = w.job(id);
            assertThat(j.state()).isEqualTo(JobState.RUNNING);
            Set<Integer> racks = new HashSet<>();
            for (int n : j.nodes()) racks.add(f.rackOfNode(n));
            assertThat(racks).as(id + " racks").hasSize(1);
        }
        assertThat(w.job("nvl-gang").nodes()).hasSize(18);
        var tooBig = w.submit(JobSpec.builder("big", "a1").gang(5, 8).models("H100").within(Level.RACK).build());
        assertThat(tooBig.rejection().code()).isEqualTo(Rejection.Code.GANG_TOO_LARGE);
        assertThat(tooBig.rejection().field()).isEqualTo("gpus");
        assertThat(tooBig.rejection().message()).contains("40").contains("32");
    }

    @Test
    void aPreferredLevelWidensWhenNoDomainOfItFits() {
        World w = World.small();
        // 6 × 8 does not fit a 4-node rack, so "prefer rack" lands in one block.
        w.submit(JobSpec.builder("p", "a1").gang(6, 8).models("H100").prefer(Level.RACK).build());
        Job j = w.job("p");
        assertThat(j.state()).isEqualTo(JobState.RUNNING);
        Fleet f = w.engine.state().fleet();
        Set<Integer> blocks = new HashSet<>();
        for (int n : j.nodes()) blocks.add(f.blockOfNode(n));
        assertThat(blocks).hasSize(1);
    }

    @Test
    void anOwnerReclaimsWhatItLentByPreemptingBorrowers() {
        World w = World.small();
        for (int k = 0; k < 16; k++) {
            w.submit(JobSpec.builder("i-" + k, "i1").gpus(8).models("H100").build());
        }
        for (int k = 0; k < 16; k++) {
            w.submit(JobSpec.builder("a2-" + k, "a2").gpus(8).models("H100").preemptible(true).build());
        }
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isZero();
        long borrowed = w.engine.state().jobs().stream().filter(Job::borrowed).count();
        assertThat(borrowed).as("a2 runs 32 GPUs of its own and borrows 96").isEqualTo(12);

        w.at(100).submit(JobSpec.builder("owner", "a1").gang(8, 8).models("H100").build());

        assertThat(w.job("owner").state()).isEqualTo(JobState.RUNNING);
        List<Job> preempted = w.engine.state().jobs().stream()
                .filter(j -> j.lastOutcome() == Outcome.PREEMPTED).toList();
        assertThat(preempted).hasSize(8).allMatch(j -> j.spec().project().equals("a2"))
                .allMatch(j -> j.state() == JobState.PENDING);
        assertThat(w.engine.state().jobs().stream().filter(j -> j.spec().project().equals("i1")))
                .allMatch(j -> j.state() == JobState.RUNNING);
        // The borrower keeps its own 32 GPUs.
        assertThat(w.engine.state().quota().own(w.engine.state().tenants().index("a2"), 0)).isEqualTo(64);
    }

    @Test
    void aBorrowingLimitCapsBorrowing() {
        World w = World.small();
        w.apply(new Command.SetQuota(0, "a2", "H100", 32, 16, -1));
        for (int k = 0; k < 10; k++) {
            w.submit(JobSpec.builder("a2-" + k, "a2").gpus(8).models("H100").preemptible(true).build());
        }
        assertThat(w.engine.count(JobState.RUNNING)).isEqualTo(6);
        w.tick();
        assertThat(w.verdict("a2-9").reason()).isEqualTo(PendingReason.QUOTA_EXCEEDED);
        assertThat(w.verdict("a2-9").detail()).contains("a2").contains("H100");
    }

    @Test
    void backfillNeverDelaysTheReservation() {
        World w = World.small();
        fillH100(w, "i1", false, "training");
        w.submit(JobSpec.builder("big", "a1").gang(8, 8).models("H100").within(Level.BLOCK).walltime(HOUR).build());
        Job big = w.job("big");
        assertThat(big.state()).isEqualTo(JobState.PENDING);
        assertThat(w.engine.verdict(big).reason()).isEqualTo(PendingReason.RESERVED);
        Reservation r = w.engine.state().reservations().get("big");
        assertThat(r).isNotNull();
        long reservedStart = r.start();
        assertThat(w.engine.verdict(big).estimatedStart()).isEqualTo(reservedStart);
        Fleet f = w.engine.state().fleet();
        Set<Integer> blocks = new HashSet<>();
        for (int n : r.nodes()) blocks.add(f.blockOfNode(n));
        assertThat(blocks).hasSize(1);
        assertThat(r.nodes()).hasSize(8);

        // A job on a reserved node finishes early: its node is free but reserved.
        int reservedNode = r.nodes()[0];
        Job onIt = w.engine.state().running().onNode(reservedNode).getFirst();
        w.at(10).finish(onIt.id());
        assertThat(w.engine.state().capacity().free(reservedNode)).isEqualTo(8);

        // A long job would outlive the reservation: it must wait.
        w.submit(JobSpec.builder("long", "b1").gpus(8).models("H100").walltime(reservedStart).build());
        assertThat(w.job("long").state()).isEqualTo(JobState.PENDING);
        w.tick();
        assertThat(w.verdict("long").reason()).isEqualTo(PendingReason.BLOCKED_BY_RESERVATION);
        // The full pass re-plans: the block that gained a free node can only start earlier.
        Reservation replanned = w.engine.state().reservations().get("big");
        assertThat(replanned.start()).isLessThanOrEqualTo(reservedStart);
        assertThat(replanned.nodes()).contains(reservedNode);
        reservedStart = replanned.start();
        // A short job ends before the reservation starts: it is backfilled onto the free reserved node.
        w.submit(JobSpec.builder("short", "b1").gpus(8).models("H100").walltime(reservedStart - 10 - 5).build());
        assertThat(w.job("short").state()).as(w.verdict("short").reason() + " " + w.verdict("short").detail()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("short").nodes()).containsExactly(reservedNode);

        // Everyone ends at their walltime at the latest; the big job starts exactly at the reserved time.
        while (w.job("big").state() == JobState.PENDING) {
            Job next = w.engine.state().running().byDeadline().first();
            assertThat(next.deadline()).isLessThanOrEqualTo(reservedStart);
            w.at(next.deadline()).finish(next.id());
        }
        assertThat(w.job("big").startTime()).isEqualTo(reservedStart);
        assertThat(w.engine.state().reservations()).doesNotContainKey("big");
    }

    @Test
    void anExhaustedBudgetStopsNewStartsWithAClearReason() {
        World w = World.small();
        w.grant(new AwardSpec("grant-1", "org-a", AwardSpec.Kind.BUDGET, "H100", 10 * HOUR, 0, 0, 100 * HOUR));
        w.submit(JobSpec.builder("j1", "a1").gpus(8).award("grant-1").walltime(HOUR).build());
        w.submit(JobSpec.builder("j2", "a1").gpus(8).award("grant-1").walltime(HOUR).build());
        assertThat(w.job("j1").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("j1").pool()).isEqualTo(0);
        assertThat(w.job("j2").state()).isEqualTo(JobState.PENDING);
        assertThat(w.verdict("j2").reason()).isEqualTo(PendingReason.BUDGET_EXHAUSTED);
        assertThat(w.verdict("j2").detail()).contains("grant-1");

        w.at(1800).finish("j1");
        var a = w.engine.state().awards();
        assertThat(a.used(0)).isEqualTo(8 * 1800);
        assertThat(w.job("j2").state()).as("6 GPU-hours left < 8 needed").isEqualTo(JobState.PENDING);
        assertThat(a.headroom(0)).isEqualTo(10 * HOUR - 8 * 1800);

        var clawback = w.apply(new Command.ReviseAward(1900, "grant-1", 100, 100 * HOUR));
        assertThat(clawback.rejection().field()).isEqualTo("budgetGpuSeconds");
        w.apply(new Command.ReviseAward(1900, "grant-1", 20 * HOUR, 100 * HOUR));
        assertThat(w.job("j2").state()).as("a top-up lets it start").isEqualTo(JobState.RUNNING);
    }

    @Test
    void anAwardCannotBeCutBelowWhatItsRunningJobsMayStillSpend() {
        World w = World.small();
        w.grant(new AwardSpec("grant-1", "org-a", AwardSpec.Kind.BUDGET, "H100", 10 * HOUR, 0, 0, 100 * HOUR));
        w.submit(JobSpec.builder("j1", "a1").gpus(8).award("grant-1").walltime(HOUR).build());
        assertThat(w.job("j1").state()).isEqualTo(JobState.RUNNING);
        // j1 may still spend 8 GPU-hours; a clawback to 4 GPU-hours would let it overspend the award.
        var cut = w.at(60).apply(new Command.ReviseAward(60, "grant-1", 4 * HOUR, 100 * HOUR));
        assertThat(cut.rejection()).as("a cut below used + committed").isNotNull();
        assertThat(cut.rejection().field()).isEqualTo("budgetGpuSeconds");
        assertThat(cut.rejection().message()).contains("28800").contains("running");
        assertThat(w.engine.award("grant-1").budgetGpuSeconds()).isEqualTo(10 * HOUR);
        // A dedicated award's window cannot end before its running jobs' walltime is paid for either.
        w.grant(new AwardSpec("ded", "a2", AwardSpec.Kind.DEDICATED, "GB200", 0, 8, 0, 2 * HOUR));
        w.submit(JobSpec.builder("d1", "a2").gang(2, 4).models("GB200").award("ded").walltime(HOUR).build());
        assertThat(w.job("d1").state()).isEqualTo(JobState.RUNNING);
        var shorten = w.apply(new Command.ReviseAward(60, "ded", 0, 120));
        assertThat(shorten.rejection()).as("a window that cannot pay for d1's walltime").isNotNull();
        assertThat(shorten.rejection().field()).isEqualTo("to");
        // Down to exactly what is used and committed is allowed.
        assertThat(w.apply(new Command.ReviseAward(60, "grant-1", 8 * HOUR, 100 * HOUR)).rejection()).isNull();
        w.at(HOUR).finish("j1");
        assertThat(w.engine.state().awards().used(0)).isEqualTo(8 * HOUR);
    }

    @Test
    void aJobChargingAnAwardWhoseWindowEndedIsRefusedAtSubmit() {
        // Found by trying the product: with its award expired, a job waited forever (AWARD_NOT_ACTIVE).
        World w = World.small();
        w.grant(new AwardSpec("old", "org-a", AwardSpec.Kind.BUDGET, "H100", 10 * HOUR, 0, 0, HOUR));
        var refused = w.at(2 * HOUR).submit(JobSpec.builder("late", "a1").gpus(1).award("old").build());
        assertThat(refused.rejection()).isNotNull();
        assertThat(refused.rejection().field()).isEqualTo("award");
        assertThat(refused.rejection().message()).contains("ended").contains("never start");
        assertThat(w.job("late")).as("nothing stored").isNull();
        // One that has not begun yet is taken: it will start when its window opens.
        w.grant(new AwardSpec("soon", "org-a", AwardSpec.Kind.BUDGET, "H100", 10 * HOUR, 0, 3 * HOUR, 9 * HOUR));
        assertThat(w.submit(JobSpec.builder("early", "a1").gpus(1).award("soon").walltime(HOUR).build()).rejection()).isNull();
    }

    @Test
    void aDedicatedAwardIsGuaranteedQuotaOnlyInsideItsWindow() {
        World w = World.small();
        int b1 = w.engine.state().tenants().index("b1");
        w.grant(new AwardSpec("ded", "b1", AwardSpec.Kind.DEDICATED, "GB200", 0, 72, 1000, 2000));
        assertThat(w.engine.state().quota().subtreeQuota(b1, 1)).isZero();
        w.at(1000).tick();
        assertThat(w.engine.state().quota().subtreeQuota(b1, 1)).isEqualTo(72);
        w.submit(JobSpec.builder("nv", "b1").gang(18, 4).models("GB200").within(Level.RACK).build());
        assertThat(w.job("nv").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("nv").borrowed()).isFalse();
        w.at(2000).tick();
        assertThat(w.engine.state().quota().subtreeQuota(b1, 1)).isZero();
    }

    @Test
    void aFailedNodeRequeuesItsJobsInTheirOldPlaceAndTakesNoWork() {
        World w = World.small();
        fillH100(w, "i1", false, "training");
        Job victim = w.job("f-3");
        long seq = victim.seq();
        String node = w.engine.state().fleet().nodeName(victim.nodes()[0]);
        w.submit(JobSpec.builder("later", "i1").gpus(8).models("H100").build());
        w.submit(JobSpec.builder("norequeue", "i1").gpus(8).models("H100").build());

        w.at(50).apply(new Command.NodeDown(50, node));
        assertThat(victim.state()).isEqualTo(JobState.PENDING);
        assertThat(victim.lastOutcome()).isEqualTo(Outcome.NODE_FAILURE);
        assertThat(victim.seq()).isEqualTo(seq);
        assertThat(victim.gpuSeconds()).isEqualTo(8 * 50);
        int downNode = w.engine.state().fleet().nodeIndex(node);
        assertThat(w.engine.state().running().onNode(downNode)).isEmpty();

        // The next free node goes to the requeued job, not to the one submitted after it.
        Job other = w.job("f-0");
        w.at(60).finish(other.id());
        assertThat(victim.state()).isEqualTo(JobState.RUNNING);
        assertThat(victim.nodes()[0]).isNotEqualTo(downNode);
        assertThat(w.job("later").state()).isEqualTo(JobState.PENDING);

        w.at(70).apply(new Command.NodeUp(70, node));
        assertThat(w.job("later").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("later").nodes()[0]).isEqualTo(downNode);
    }

    @Test
    void aJobThatSaidNoRequeueFailsWithItsNode() {
        World w = World.small();
        w.submit(JobSpec.builder("once", "a1").gpus(8).models("H100").requeue(false).build());
        String node = w.engine.state().fleet().nodeName(w.job("once").nodes()[0]);
        w.at(5).apply(new Command.NodeDown(5, node));
        assertThat(w.job("once").state()).isEqualTo(JobState.FAILED);
        assertThat(w.job("once").lastOutcome()).isEqualTo(Outcome.NODE_FAILURE);
    }

    @Test
    void higherClassesPreemptTheFewestCheapestScavengers() {
        World w = World.small();
        fillH100(w, "i1", true, "scavenger");
        w.at(100).submit(JobSpec.builder("serve", "i1").gang(2, 8).models("H100").priorityClass("inference").build());
        assertThat(w.job("serve").state()).isEqualTo(JobState.RUNNING);
        List<Job> preempted = w.engine.state().jobs().stream().filter(j -> j.lastOutcome() == Outcome.PREEMPTED).toList();
        assertThat(preempted).as("two 8-GPU victims free exactly 16 GPUs").hasSize(2);
        // Training does not preempt training.
        World t = World.small();
        fillH100(t, "i1", false, "training");
        t.at(100).submit(JobSpec.builder("train", "i1").gpus(8).models("H100").build());
        assertThat(t.job("train").state()).isEqualTo(JobState.PENDING);
        assertThat(t.engine.state().jobs().stream().noneMatch(j -> j.lastOutcome() == Outcome.PREEMPTED)).isTrue();
    }

    /**
     * A failed preemption search is remembered and not run again while nothing it read has changed, but only until
     * the first victim it passed over comes out of its exempt time.
     */
    @Test
    void aJobWaitsForItsVictimsExemptTimeAndNoLonger() {
        World w = World.small(new SchedulerSettings(1, 64, true, 512, 600));
        w.at(0);
        fillH100(w, "i1", true, "scavenger"); // all 32 started at 0: exempt until 600
        w.at(100).submit(JobSpec.builder("serve", "i1").gpus(8).models("H100").priorityClass("inference").build());
        assertThat(w.job("serve").state()).isEqualTo(JobState.PENDING);
        w.at(300).tick(); // nothing changed: the remembered failure stands (and FULL assertions search anyway)
        assertThat(w.job("serve").state()).isEqualTo(JobState.PENDING);
        w.at(599).tick();
        assertThat(w.job("serve").state()).isEqualTo(JobState.PENDING);
        w.at(600).tick();
        assertThat(w.job("serve").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("serve").startTime()).isEqualTo(600);
        assertThat(w.engine.state().jobs().stream().filter(j -> j.lastOutcome() == Outcome.PREEMPTED).count()).isEqualTo(1);
    }

    @Test
    void everyWaitingJobGetsAReasonAndTheEstimatesAreRight() {
        World w = World.small();
        fillH100(w, "i1", false, "training");
        w.submit(JobSpec.builder("first", "i1").gpus(8).models("H100").walltime(HOUR).build());
        w.submit(JobSpec.builder("second", "i1").gpus(8).models("H100").walltime(HOUR).build());
        w.submit(JobSpec.builder("third", "i1").gang(2, 8).models("H100").walltime(HOUR).build());
        w.grant(new AwardSpec("later", "a1", AwardSpec.Kind.BUDGET, null, 1000 * HOUR, 0, 5000, 9000));
        w.submit(JobSpec.builder("early", "a1").gpus(1).models("H100").award("later").build());
        w.tick();
        // f-0 ends first (t=1000), f-1 at 1100, f-2 at 1200, f-3 at 1300.
        assertThat(w.verdict("first").reason()).isEqualTo(PendingReason.RESERVED);
        assertThat(w.verdict("first").estimatedStart()).isEqualTo(1000);
        assertThat(w.verdict("second").reason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
        assertThat(w.verdict("second").estimatedStart()).isEqualTo(1100);
        assertThat(w.verdict("third").estimatedStart()).isEqualTo(1300);
        assertThat(w.verdict("early").reason()).isEqualTo(PendingReason.AWARD_NOT_ACTIVE);
        assertThat(w.verdict("early").estimatedStart()).isEqualTo(5000);
        // The estimates come true when jobs run to their walltimes.
        w.at(1000).finish("f-0");
        assertThat(w.job("first").startTime()).isEqualTo(1000);
        w.at(1100).finish("f-1");
        assertThat(w.job("second").startTime()).isEqualTo(1100);
        w.at(1200).finish("f-2");
        w.at(1300).finish("f-3");
        assertThat(w.job("third").startTime()).isEqualTo(1300);
    }

    @Test
    void replayingTheJournalGivesTheSameState() {
        World w = World.small();
        fillH100(w, "i1", true, "scavenger");
        w.at(10).submit(JobSpec.builder("serve", "a1").gang(2, 8).models("H100").priorityClass("inference").build());
        w.at(20).submit(JobSpec.builder("big", "a1").gang(8, 8).models("H100").within(Level.BLOCK).build());
        w.at(30).tick();
        assertThat(w.journal.stream().anyMatch(e -> e instanceof Event.ReservationMade)).isTrue();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void aQuotaBlockedJobIsEstimatedFromItsProjectsOwnReleases() {
        World w = World.small();
        // a2 owns 32 H100 and may not borrow for non-preemptible jobs: 4 jobs of 8 fill its quota.
        for (int k = 0; k < 4; k++) {
            w.submit(JobSpec.builder("own-" + k, "a2").gpus(8).models("H100").walltime(1000 + 500L * k).build());
        }
        w.submit(JobSpec.builder("waits", "a2").gang(2, 8).models("H100").walltime(HOUR).build());
        w.tick();
        Job waits = w.job("waits");
        assertThat(w.engine.verdict(waits).reason()).isEqualTo(PendingReason.QUOTA_EXCEEDED);
        // It needs 16 GPUs of a2's own quota back: after own-0 (t=1000) and own-1 (t=1500) end.
        assertThat(w.engine.verdict(waits).estimatedStart()).isEqualTo(1500);
        w.at(1000).finish("own-0");
        w.at(1500).finish("own-1");
        assertThat(waits.state()).isEqualTo(JobState.RUNNING);
        assertThat(waits.startTime()).isEqualTo(1500);
    }

    @Test
    void aLendingLimitKeepsTheRestForItsOwner() {
        World w = World.small();
        // i1 owns 128 H100 but lends at most 32 of them; the public projects own 128 between them.
        w.apply(new Command.SetQuota(0, "i1", "H100", 128, -1, 32));
        for (int k = 0; k < 32; k++) {
            w.submit(JobSpec.builder("b1-" + k, "b1").gpus(8).models("H100").preemptible(true).build());
        }
        long running = w.engine.state().jobs().stream()
                .filter(j -> j.spec().project().equals("b1") && j.state() == JobState.RUNNING).count();
        // 128 public GPUs (b1's own 32 and what a1 and a2 lend) plus 32 lent by i1: 20 jobs of 8.
        assertThat(running).isEqualTo(20);
        w.tick();
        assertThat(w.verdict("b1-31").reason()).isEqualTo(PendingReason.QUOTA_EXCEEDED);
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isEqualTo(96);
        // The 96 GPUs i1 did not lend start for it at once, without preempting anyone.
        w.at(10).submit(JobSpec.builder("owner", "i1").gang(12, 8).models("H100").build());
        assertThat(w.job("owner").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.engine.state().jobs().stream().noneMatch(j -> j.lastOutcome() == Outcome.PREEMPTED)).isTrue();
    }

    @Test
    void theProjectThatUsedLessGoesFirst() {
        World w = World.small();
        // a1 has used GPUs before (8 GPUs for 50 s); b1 has not.
        w.submit(JobSpec.builder("a1-warm", "a1").gpus(8).models("H100").build());
        w.at(50).finish("a1-warm");
        assertThat(w.engine.state().fairShare().decayedUsage(w.engine.state().tenants().index("a1"), 50)).isEqualTo(400.0);
        fillH100(w, "i1", false, "training");
        w.at(60).submit(JobSpec.builder("a1-early", "a1").gpus(8).models("H100").build());
        w.submit(JobSpec.builder("b1-late", "b1").gpus(8).models("H100").build());
        // Only one node frees: b1 has used less, so its job goes first although a1's was submitted before it.
        Job first = w.engine.state().running().byDeadline().first();
        w.at(first.deadline()).finish(first.id());
        assertThat(w.job("b1-late").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("a1-early").state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void gpusFreedForAnOwnerGoToItsWaitingJobNotToABorrower() {
        World w = World.small();
        w.apply(new Command.SetQuota(0, "i1", "H100", 128, -1, 0)); // industry keeps its 128 to itself
        for (int k = 0; k < 16; k++) w.submit(JobSpec.builder("i-" + k, "i1").gpus(8).models("H100").build());
        for (int k = 0; k < 8; k++) w.submit(JobSpec.builder("a1-" + k, "a1").gpus(8).models("H100").build());
        for (int k = 0; k < 4; k++) w.submit(JobSpec.builder("a2-" + k, "a2").gpus(8).models("H100").build());
        for (int k = 0; k < 4; k++) w.submit(JobSpec.builder("b1-" + k, "b1").gpus(8).models("H100").build());
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isZero();
        // a2 (less usage than a1, so first in fair-share order) waits with a job that would have to borrow;
        // a1 waits with one that fits its own quota once one of its jobs ends.
        w.at(50).submit(JobSpec.builder("a2-borrow", "a2").gpus(8).models("H100").preemptible(true).build());
        w.submit(JobSpec.builder("a1-next", "a1").gpus(8).models("H100").build());
        w.at(100).finish("a1-0");
        assertThat(w.job("a1-next").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("a2-borrow").state()).isEqualTo(JobState.PENDING);
        assertThat(w.engine.state().jobs().stream().noneMatch(j -> j.lastOutcome() == Outcome.PREEMPTED)).isTrue();
    }
}
