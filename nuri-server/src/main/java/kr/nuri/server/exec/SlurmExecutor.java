package kr.nuri.server.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import kr.nuri.config.SiteBackend;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.server.journal.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes a site's runs on its Slurm, through slurmrestd. Each run is submitted pinned to the nodes the engine chose, in
 * the partition only Nuri submits to, tagged {@code nuri job=ID run=N epoch=E} (its comment; E is the journal's epoch, so
 * that the runs of another journal are never taken for this one's). One list call per poll
 * interval reads every job back: RUNNING confirms a start; COMPLETED, FAILED, TIMEOUT, CANCELLED and NODE_FAIL end the run
 * with that outcome and Slurm's own start and end. The same poll reconciles: a run the journal says is running that Slurm
 * does not know is ended as lost (requeued per the job's policy); a job in the partition that Nuri does not know is
 * cancelled, and the act audited. While slurmrestd or slurmctld cannot be reached the site is unknown, not failed:
 * nothing is ended until contact returns or {@code unknownTimeout} passes.
 *
 * <p>Threads: four send submissions and signals, one polls. Reports go to the engine as work ({@link Feedback}),
 * where they are checked against the job's current run, so a late or repeated report changes nothing.
 */
final class SlurmExecutor implements SiteExecutor {
    private static final Logger log = LoggerFactory.getLogger(SlurmExecutor.class);
    private final SiteBackend site;
    private final SlurmClient client;
    private final LongSupplier clockMillis;
    private final AuditLog audit;
    private final SiteMetrics metrics;
    private final SlurmLaunches launches;
    private final SiteContact contact;
    private final long epoch;
    private final ScheduledExecutorService sender;
    private final ScheduledExecutorService poller;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, String> nuriNode = new HashMap<>();
    private volatile Feedback feedback;
    private volatile boolean closed;
    /** Slurm's ESLURM_NODE_NOT_AVAIL: a required node is down, drained or reserved there. */
    private static final int NODE_NOT_AVAILABLE = 2068;
    /** Submissions of one run refused for a node Slurm cannot use (yet) before the job is held: about a minute of retries. */
    private static final int MAX_NODE_ATTEMPTS = 6;
    /** Nodes are listed at most this often (a list of thousands of nodes is large). */
    private static final long NODES_EVERY_MILLIS = 5_000;
    private long lastNodesMillis = Long.MIN_VALUE / 2;

    /** A run Nuri has started at this site; {@code slurmId} 0 until Slurm gave (or a poll found) its id. */
    private static final class Tracked {
        final Dispatch dispatch;
        final long startedNanos = System.nanoTime();
        volatile long slurmId;
        volatile long idKnownAtMillis;
        volatile boolean confirmed;
        volatile boolean stopping;
        volatile boolean submitting;
        /** Its end is on its way to the engine (which forgets the run once it has applied it). */
        volatile boolean reporting;
        volatile int attempts;

        Tracked(Dispatch dispatch) {
            this.dispatch = dispatch;
        }
    }

    SlurmExecutor(SiteBackend site, JsonMapper json, LongSupplier clockMillis, AuditLog audit, SiteMetrics metrics, long epoch) {
        this.site = site;
        this.client = new SlurmClient(site, new SlurmTokens(site, clockMillis), json);
        this.clockMillis = clockMillis;
        this.audit = audit;
        this.metrics = metrics;
        this.launches = new SlurmLaunches(site, json);
        this.contact = new SiteContact(site, clockMillis, metrics);
        this.epoch = epoch;
        for (Map.Entry<String, String> e : site.nodeMap().entrySet()) nuriNode.put(e.getValue(), e.getKey());
        // A few senders: slurmctld takes a submission in ~15 ms at a thousand nodes, and starts come in bursts.
        this.sender = Executors.newScheduledThreadPool(4, Thread.ofPlatform().name("nuri-slurm-" + site.site() + "-send-", 0).daemon().factory());
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("nuri-slurm-" + site.site() + "-poll").daemon().factory());
    }

    @Override
    public String site() { return site.site(); }

    @Override
    public boolean reachable() { return contact.reachable(); }

    @Override
    public String externalId(String jobId) {
        Tracked t = tracked.get(jobId);
        return t == null || t.slurmId == 0 ? null : Long.toString(t.slurmId);
    }

    @Override
    public void start(Feedback feedback, List<Dispatch> running) {
        this.feedback = feedback;
        for (Dispatch d : running) tracked.put(d.jobId(), new Tracked(d)); // adopted by the first poll, or found lost
        if (!running.isEmpty()) log.info("site {}: reconciling {} running jobs with Slurm at {}", site.site(), running.size(), site.url());
        poller.scheduleWithFixedDelay(this::pollSafely, 0, site.poll().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void launch(Dispatch d) {
        Tracked t = new Tracked(d);
        t.submitting = true;
        Tracked old = tracked.put(d.jobId(), t);
        if (old != null && old.slurmId != 0 && !old.stopping) cancel(old, "superseded by run " + d.run());
        sender.execute(() -> submit(t));
    }

    @Override
    public void stop(String jobId, int run, String why) {
        Tracked t = tracked.get(jobId);
        if (t == null || t.dispatch.run() != run || t.stopping) return;
        t.stopping = true;
        if (t.slurmId != 0) sender.execute(() -> cancel(t, why));
        // else: the submission sees stopping and sends nothing, or cancels what it has just submitted
    }

    private void submit(Tracked t) {
        if (closed) return;
        if (t.stopping || tracked.get(t.dispatch.jobId()) != t) {
            t.submitting = false;
            tracked.remove(t.dispatch.jobId(), t);
            return;
        }
        t.attempts++;
        try {
            long id = client.submit(site.user(), launches.body(t.dispatch, epoch));
            t.idKnownAtMillis = clockMillis.getAsLong();
            t.slurmId = id;
            t.submitting = false;
            contact();
            metrics.submitted(site.site());
            metrics.submittedIn(site.site(), System.nanoTime() - t.startedNanos);
            if (t.stopping) cancel(t, "ended in Nuri while it was being submitted");
        } catch (SlurmException e) {
            if (e.unreachable()) {
                lost(e);
                metrics.failed(site.site(), "unreachable");
                long delay = Math.min(30_000, 500L << Math.min(6, t.attempts));
                log.warn("site {}: cannot submit job {} (attempt {}), retrying in {} ms: {}", site.site(), t.dispatch.jobId(), t.attempts, delay, e.getMessage());
                sender.schedule(() -> submit(t), delay, TimeUnit.MILLISECONDS);
                return;
            }
            if (e.getMessage().contains("[" + NODE_NOT_AVAILABLE + "]") && t.attempts < MAX_NODE_ATTEMPTS) {
                // Slurm has a chosen node down, drained or not yet back while Nuri has it up: read the nodes now (a node down
                // there ends this run in Nuri, which places the job again) and try again shortly (a node coming back).
                metrics.failed(site.site(), "node-unavailable");
                log.info("site {}: Slurm cannot use a node of job {} yet (attempt {}): {}", site.site(), t.dispatch.jobId(), t.attempts, e.getMessage());
                try {
                    nodes(client.nodes());
                } catch (SlurmException n) {
                    log.warn("site {}: could not list the nodes: {}", site.site(), n.getMessage());
                }
                sender.schedule(() -> submit(t), 1_000L << Math.min(5, t.attempts), TimeUnit.MILLISECONDS);
                return;
            }
            t.submitting = false;
            tracked.remove(t.dispatch.jobId(), t);
            metrics.failed(site.site(), "refused");
            log.warn("site {}: Slurm refused job {}: {}", site.site(), t.dispatch.jobId(), e.getMessage());
            refused(t.dispatch, e.getMessage());
        } catch (RuntimeException e) {
            t.submitting = false;
            tracked.remove(t.dispatch.jobId(), t);
            metrics.failed(site.site(), "refused");
            log.error("site {}: could not submit job {}", site.site(), t.dispatch.jobId(), e);
            refused(t.dispatch, e.toString());
        }
    }

    /** Slurm refused a run: the job goes back to the queue, held, with Slurm's words as the cause (not retried forever). */
    private void refused(Dispatch d, String error) {
        feedback.submit(session -> {
            Job j = session.engine().job(d.jobId());
            if (j == null || j.state() != JobState.RUNNING || j.runs() != d.run()) return null;
            session.apply(time -> new Command.RequeueJob(time, d.jobId(), NodeSync.clip("site " + site.site() + " refused it: " + error), true));
            return null;
        });
    }

    private void cancel(Tracked t, String why) {
        if (closed || t.slurmId == 0) return;
        long id = t.slurmId;
        try {
            client.signal(site.user(), id, "SIGTERM");
            contact();
            log.info("site {}: job {} (Slurm {}) sent SIGTERM: {}", site.site(), t.dispatch.jobId(), id, why);
        } catch (SlurmException e) {
            metrics.failed(site.site(), e.unreachable() ? "unreachable" : "refused");
            if (e.unreachable()) {
                lost(e);
                sender.schedule(() -> cancel(t, why), 2_000, TimeUnit.MILLISECONDS);
                return;
            }
            log.warn("site {}: could not signal Slurm job {}: {}", site.site(), id, e.getMessage());
        }
        sender.schedule(() -> cancelNow(id, 0), site.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Cancels a Slurm job (after the grace), retrying while the site cannot be reached. */
    private void cancelNow(long id, int attempt) {
        if (closed) return;
        try {
            client.signal(site.user(), id, null);
        } catch (SlurmException e) {
            if (e.unreachable() && attempt < 100) sender.schedule(() -> cancelNow(id, attempt + 1), 2_000, TimeUnit.MILLISECONDS);
            else log.warn("site {}: could not cancel Slurm job {}: {}", site.site(), id, e.getMessage());
        }
    }

    private void pollSafely() {
        if (closed) return;
        try {
            poll();
        } catch (SlurmException e) {
            if (!closed) lost(e);
        } catch (RuntimeException e) {
            if (!closed) log.error("site {}: poll failed", site.site(), e);
        }
    }

    private void poll() {
        long began = clockMillis.getAsLong();
        if (began - lastNodesMillis >= NODES_EVERY_MILLIS || !contact.reachable()) {
            nodes(client.nodes());
            lastNodesMillis = began;
        }
        List<SlurmClient.SlurmJob> jobs = client.jobs();
        contact();
        // A run that failed with its node: read the nodes first, so the node is down in Nuri before the job is placed again.
        if (jobs.stream().anyMatch(j -> j.partition().equals(site.partition()) && (j.state().equals("NODE_FAIL") || j.state().equals("BOOT_FAIL"))
                && SlurmLaunches.Tag.parse(j.comment()) instanceof SlurmLaunches.Tag tag && tag.epoch() == epoch && tracked.containsKey(tag.jobId()))) {
            nodes(client.nodes());
            lastNodesMillis = began;
        }
        Map<String, SlurmClient.SlurmJob> seen = new HashMap<>();
        for (SlurmClient.SlurmJob sj : jobs) {
            if (!sj.partition().equals(site.partition())) continue;
            SlurmLaunches.Tag tag = SlurmLaunches.Tag.parse(sj.comment());
            Tracked t = tag == null || tag.epoch() != epoch ? null : tracked.get(tag.jobId());
            boolean ours = t != null && t.dispatch.run() == tag.run() && (t.slurmId == 0 || t.slurmId == sj.id());
            if (!ours) {
                // Another journal's, an earlier run's, or a second copy of this run's: Nuri does not run it.
                if (!SlurmStates.terminal(sj.state())) unknown(sj, tag);
                continue;
            }
            seen.put(tag.jobId(), sj);
            if (t.slurmId == 0) {
                t.slurmId = sj.id();
                t.idKnownAtMillis = began;
                log.info("site {}: job {} run {} is Slurm job {} ({})", site.site(), tag.jobId(), tag.run(), sj.id(), sj.state());
            }
            if (sj.state().equals("RUNNING") && !t.confirmed) {
                t.confirmed = true;
                metrics.dispatched(site.site(), System.nanoTime() - t.startedNanos);
            }
            if (SlurmStates.terminal(sj.state())) {
                if (t.stopping) {
                    tracked.remove(tag.jobId(), t);
                } else {
                    if (!t.reporting && sj.end() > 0) metrics.endSeen(site.site(), began - sj.end() * 1000);
                    report(t, sj);
                }
            }
        }
        for (Tracked t : List.copyOf(tracked.values())) {
            if (seen.containsKey(t.dispatch.jobId()) || t.submitting || t.reporting || t.stopping && t.slurmId == 0) continue;
            if (t.slurmId != 0 && t.idKnownAtMillis >= began) continue; // submitted after the list was read
            if (t.stopping) {
                tracked.remove(t.dispatch.jobId(), t); // cancelled, and gone from Slurm's memory
                continue;
            }
            lostRun(t, "lost: Slurm at site " + site.site() + " no longer knows " + (t.slurmId == 0 ? "it" : "job " + t.slurmId));
        }
    }

    /**
     * Hands a run's end to the engine, once: the engine's work forgets the run when it has applied the end (or found the
     * run ended already); if the engine cannot take it now, the next poll hands it again.
     */
    private void toEngine(Tracked t, kr.nuri.server.loop.Work<?> end) {
        if (t.reporting) return;
        t.reporting = true;
        feedback.submit(session -> {
            tracked.remove(t.dispatch.jobId(), t);
            return end.run(session);
        }).whenComplete((r, e) -> {
            if (e != null) t.reporting = false;
        });
    }

    private void report(Tracked t, SlurmClient.SlurmJob sj) {
        Dispatch d = t.dispatch;
        Outcome outcome = SlurmStates.outcome(sj.state());
        long ran = sj.start() > 0 && sj.end() >= sj.start() ? sj.end() - sj.start() : -1;
        String cause = NodeSync.clip("slurm " + sj.id() + ": " + sj.state() + (sj.exitCode() != 0 ? " (exit code " + sj.exitCode() + ")" : "")
                + (sj.reason().isEmpty() || sj.reason().equals("None") ? "" : ", " + sj.reason()));
        toEngine(t, session -> {
            Job j = session.engine().job(d.jobId());
            if (j == null || j.state() != JobState.RUNNING || j.runs() != d.run()) return null; // ended in Nuri meanwhile
            session.apply(time -> new Command.JobFinished(time, d.jobId(), outcome == Outcome.COMPLETED, outcome, ran, cause));
            return null;
        });
    }

    private void lostRun(Tracked t, String cause) {
        Dispatch d = t.dispatch;
        if (!t.reporting) log.warn("site {}: job {} run {}: {}", site.site(), d.jobId(), d.run(), cause);
        toEngine(t, session -> {
            Job j = session.engine().job(d.jobId());
            if (j == null || j.state() != JobState.RUNNING || j.runs() != d.run()) return null;
            session.apply(time -> new Command.JobFinished(time, d.jobId(), false, Outcome.NODE_FAILURE, -1, cause));
            return null;
        });
    }

    /** A job in Nuri's partition that Nuri does not run: cancelled, and audited. */
    private void unknown(SlurmClient.SlurmJob sj, SlurmLaunches.Tag tag) {
        try {
            client.signal(site.user(), sj.id(), null);
        } catch (SlurmException e) {
            log.warn("site {}: could not cancel unknown Slurm job {}: {}", site.site(), sj.id(), e.getMessage());
            return;
        }
        String what = tag == null ? "no Nuri tag" : "tagged " + tag.jobId() + " run " + tag.run() + " epoch " + tag.epoch() + ", which Nuri does not run";
        log.warn("site {}: cancelled Slurm job {} in partition {} ({})", site.site(), sj.id(), site.partition(), what);
        long at = clockMillis.getAsLong();
        feedback.submit(session -> {
            session.audit(audit.entry(at, "nuri", "system", null, "slurm.cancel-unknown", site.site() + "/" + sj.id(), sj.state(), "CANCELLED: " + what));
            return null;
        });
    }

    /** Nodes Slurm marks down, drained or back: the same in Nuri (only what Slurm changed, never an operator's drain). */
    private void nodes(List<SlurmClient.SlurmNode> nodes) {
        Map<String, SlurmClient.SlurmNode> byNuri = new HashMap<>();
        for (SlurmClient.SlurmNode n : nodes) byNuri.put(nuriNode.getOrDefault(n.name(), n.name()), n);
        feedback.submit(session -> {
            var fleet = session.engine().state().fleet();
            for (Map.Entry<String, SlurmClient.SlurmNode> e : byNuri.entrySet()) {
                int n = fleet.nodeIndex(e.getKey());
                if (n < 0 || !fleet.siteName(fleet.siteOfNode(n)).equals(site.site())) continue;
                NodeSync.apply(session, e.getKey(), n, e.getValue());
            }
            return null;
        });
    }

    private void contact() {
        contact.answered(feedback);
    }

    /** The site did not answer: unknown, not failed; past its timeout, its runs are ended as lost (and requeued). */
    private void lost(SlurmException e) {
        if (closed) return;
        long out = contact.silent(e, feedback);
        if (out > site.unknownTimeout().toMillis()) {
            for (Tracked t : List.copyOf(tracked.values())) {
                if (t.stopping) tracked.remove(t.dispatch.jobId(), t);
                else lostRun(t, "lost: site " + site.site() + " out of contact for " + out / 1000 + " s");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        sender.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
