package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;
import org.junit.jupiter.api.Test;

/**
 * Within one project (and priority class), waiting jobs are considered in submit order whatever their size: a gang
 * submitted before smaller jobs of its project takes the reservation ahead of them, so a steady stream of small jobs
 * cannot starve it. (The first wave walked a project's size classes smallest first, so the reservations went to
 * small jobs and a big gang ran only once its project had no smaller job left.)
 */
class ProjectOrderTest {
    private static World world(int reservations) {
        World w = World.small(SchedulerSettings.DEFAULT.withReservations(reservations));
        w.apply(new Command.SetQuota(w.now, "i1", "H100", 256, -1, -1));
        return w;
    }

    /** A job of i1 on H100: up to 8 GPUs on one node, more as a gang of 8-GPU members. */
    private static JobSpec job(String id, int gpus, long walltime) {
        JobSpec.Builder b = JobSpec.builder(id, "i1").models("H100").walltime(walltime);
        return (gpus <= 8 ? b.gpus(gpus) : b.gang(gpus / 8, 8)).build();
    }

    /** Ends the running job with the earliest deadline, then runs the periodic full pass (which places reservations). */
    private static void freeOneNode(World w) {
        Job first = w.engine.state().running().byDeadline().first();
        w.at(first.deadline()).finish(first.id());
        w.tick();
    }

    @Test
    void aGangSubmittedBeforeSmallerJobsOfItsProjectStartsBeforeThem() {
        World w = world(1);
        QueueOrderTest.fill(w, false); // the 32 H100 nodes, f-k ending at 1000 + 100k
        w.at(10).submit(job("big", 32, 5000));
        for (int k = 0; k < 8; k++) w.submit(JobSpec.builder("small-" + k, "i1").gpus(8).models("H100").walltime(5000).build());
        for (int n = 0; n < 3; n++) {
            freeOneNode(w);
            assertThat(w.job("big").state()).as("after %d nodes freed", n + 1).isEqualTo(JobState.PENDING);
        }
        assertThat(w.engine.state().jobs().stream().filter(j -> j.id().startsWith("small-") && j.state() == JobState.RUNNING))
                .as("small jobs submitted after the gang, started on nodes its reservation holds").isEmpty();
        freeOneNode(w);
        assertThat(w.job("big").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("small-0").state()).isEqualTo(JobState.PENDING);
        freeOneNode(w);
        assertThat(w.job("small-0").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("small-1").state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void smallJobsSubmittedBeforeAGangStillGoFirst() {
        World w = world(1);
        QueueOrderTest.fill(w, false); // the 32 H100 nodes, f-k ending at 1000 + 100k
        w.at(10).submit(JobSpec.builder("small-0", "i1").gpus(8).models("H100").walltime(5000).build());
        w.submit(job("big", 16, 5000));
        freeOneNode(w);
        assertThat(w.job("small-0").state()).isEqualTo(JobState.RUNNING);
        freeOneNode(w);
        assertThat(w.job("big").state()).isEqualTo(JobState.PENDING);
        freeOneNode(w);
        assertThat(w.job("big").state()).isEqualTo(JobState.RUNNING);
    }

    /**
     * Random streams of one project's whole-node jobs of 1 to 4 nodes on a full fleet, nodes freeing one at a time: with
     * a reservation for the first blocked job and walltimes longer than any running job's, nothing may backfill, so the
     * project's jobs (at most 32 nodes, so each starts on nodes the fill jobs free) start exactly in submit order. (Jobs of a part of a node could backfill beside a smaller job on GPUs
     * no reservation needs; these cannot.)
     */
    @Test
    void withoutBackfillAProjectsJobsStartInSubmitOrder() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            World w = world(1);
            QueueOrderTest.fill(w, false); // the 32 H100 nodes, f-k ending at 1000 + 100k
            w.at(10);
            List<String> submitted = new ArrayList<>();
            int nodes = 0;
            for (int k = 0; nodes < 29; k++) { // at most the 32 nodes the fill jobs free: each job can start on them
                int gpus = 8 * (1 + r.nextInt(4)); // whole nodes: a job cannot fit beside another on a node
                nodes += gpus / 8;
                String id = "j-" + k + "-g" + gpus;
                w.submit(job(id, gpus, 1_000_000));
                submitted.add(id);
            }
            List<String> startOrder = new ArrayList<>();
            for (int n = 0; n < 32; n++) {
                freeOneNode(w);
                w.engine.state().jobs().stream()
                        .filter(j -> j.id().startsWith("j-") && j.state() == JobState.RUNNING && !startOrder.contains(j.id()))
                        .sorted(java.util.Comparator.comparingLong(Job::seq)).forEach(j -> startOrder.add(j.id()));
            }
            assertThat(startOrder).as("seed %d: start order against submit order", seed).isEqualTo(submitted);
        }
    }

    /**
     * A project first in fair share whose every job waits for its award (budget left too small) used to take the whole
     * probe depth of each event-triggered pass, so nothing behind it started until a full pass; with the fleet emptying
     * under a long backlog, nothing started at all (found by the benchmark once a project's jobs were walked in
     * submit order). Jobs waiting for their award now spend no probe depth, and a project is left after eight in a row.
     */
    @Test
    void jobsWaitingForTheirAwardDoNotStopThePassForOtherProjects() {
        jobsWaitingForTheirAwardDoNotStopThePass(world(1));
    }

    /**
     * The same under a global order, where the oldest jobs wait for their award and a younger one of another project
     * holds the reservation on the node that frees: the holder is looked at however many jobs ahead of it could have
     * used only reserved GPUs (the pass used to stop probing reserved GPUs after probeDepth of them, the holder too).
     */
    @Test
    void jobsWaitingForTheirAwardDoNotStopARankedPass() {
        World w = World.small(SchedulerSettings.DEFAULT.withQueueOrder("fifo").withReservations(1));
        w.apply(new Command.SetQuota(w.now, "i1", "H100", 256, -1, -1));
        jobsWaitingForTheirAwardDoNotStopThePass(w);
    }

    private static void jobsWaitingForTheirAwardDoNotStopThePass(World w) {
        w.grant(new AwardSpec("a1-2027", "a1", AwardSpec.Kind.BUDGET, "H100", 2_000 * 3600L, 0, 0, 1_000 * 86_400L));
        // a1 runs 8 GPUs for 249 h: 1,992 of its 2,000 GPU-hours are committed.
        w.submit(JobSpec.builder("a1-run", "a1").gpus(8).models("H100").walltime(249 * 3600L).award("a1-2027").build());
        for (int k = 0; k < 31; k++) {
            w.submit(JobSpec.builder("f-" + k, "i1").gpus(8).models("H100").walltime(1000 + 100L * k).build());
        }
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isZero();
        w.at(10);
        for (int k = 0; k < 10; k++) {
            for (int gpus = 1; gpus <= 8; gpus *= 2) {
                for (boolean preemptible : new boolean[] {false, true}) {
                    String id = "a1-w-" + gpus + "-" + preemptible + "-" + k;
                    assertThat(w.submit(JobSpec.builder(id, "a1").gpus(gpus).models("H100").walltime(10 * 3600L).award("a1-2027")
                            .preemptible(preemptible).build()).accepted()).isTrue();
                    assertThat(w.verdict(id).reason()).isEqualTo(PendingReason.BUDGET_EXHAUSTED);
                }
            }
        }
        w.submit(job("i1-next", 8, 5000));
        assertThat(w.job("i1-next").state()).isEqualTo(JobState.PENDING);
        Job first = w.engine.state().running().byDeadline().first();
        w.at(first.deadline()).finish(first.id()); // no full pass: the event's own pass must reach i1-next
        assertThat(w.job("i1-next").state()).as("%s", w.verdict("i1-next")).isEqualTo(JobState.RUNNING);
    }
}
