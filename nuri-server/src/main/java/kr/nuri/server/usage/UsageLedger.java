package kr.nuri.server.usage;

import java.util.HashMap;
import java.util.Map;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.server.loop.EventObserver;

/**
 * Every run of every job as (project, award, pool, GPUs, start, end, and where it ran): the projection that answers
 * "GPU-hours by tenant / project / award / model over a time range", and where a finished job ran. Built from events, so
 * it is the same after a restart; runs still going count up to now.
 */
public final class UsageLedger implements EventObserver {
    private int size;
    private int[] project = new int[1024];
    private int[] award = new int[1024];
    private int[] model = new int[1024];
    private int[] gpus = new int[1024];
    private long[] start = new long[1024];
    private long[] end = new long[1024];
    /** Per run: its nodes and the GPUs on each (null for runs restored from snapshots of builds before), and whether it borrowed. */
    private int[][] nodes = new int[1024][];
    private int[][] nodeGpus = new int[1024][];
    private boolean[] borrowed = new boolean[1024];
    private final Map<String, Integer> open = new HashMap<>();
    /** Each job's last run. */
    private final Map<String, Integer> lastRun = new HashMap<>();

    @Override
    public void observe(Event event, Engine engine) {
        switch (event) {
            case Event.JobStarted s -> {
                Job j = engine.job(s.jobId());
                grow();
                project[size] = j.project();
                award[size] = j.award();
                model[size] = s.pool();
                gpus[size] = j.totalGpus(); // the engine's count: a share of a GPU is charged as the GPU it sits on
                start[size] = s.time();
                end[size] = s.time() + j.walltime(); // until it ends: a run is never charged past its walltime
                nodes[size] = s.nodes();
                nodeGpus[size] = s.gpus();
                borrowed[size] = s.borrowed();
                lastRun.put(s.jobId(), size);
                open.put(s.jobId(), size++);
            }
            case Event.JobEnded e -> {
                Integer r = open.remove(e.jobId());
                if (r != null) {
                    Job j = engine.job(e.jobId());
                    end[r] = Job.heldUntil(start[r], j.walltime(), e.heldUntil()); // the job may have started again since
                }
            }
            default -> { }
        }
    }

    private void grow() {
        if (size < project.length) return;
        int n = project.length * 2;
        project = java.util.Arrays.copyOf(project, n);
        award = java.util.Arrays.copyOf(award, n);
        model = java.util.Arrays.copyOf(model, n);
        gpus = java.util.Arrays.copyOf(gpus, n);
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        nodes = java.util.Arrays.copyOf(nodes, n);
        nodeGpus = java.util.Arrays.copyOf(nodeGpus, n);
        borrowed = java.util.Arrays.copyOf(borrowed, n);
    }

    /** Where a job's last run ran: pool, nodes, GPUs per node, borrowed; null when it never started (or is not known). */
    public record Run(int pool, int[] nodes, int[] gpus, boolean borrowed) {}

    public Run lastRun(String jobId) {
        Integer r = lastRun.get(jobId);
        return r == null || nodes[r] == null ? null : new Run(model[r], nodes[r], nodeGpus[r], borrowed[r]);
    }

    /** The ledger as plain data, for snapshots ({@code nodes}, {@code nodeGpus}, {@code borrowed}, {@code lastRun}: null before builds that kept them). */
    public record Data(int[] project, int[] award, int[] model, int[] gpus, long[] start, long[] end, Map<String, Integer> open,
                       int[][] nodes, int[][] nodeGpus, boolean[] borrowed, Map<String, Integer> lastRun) {}

    public Data snapshot() {
        return new Data(java.util.Arrays.copyOf(project, size), java.util.Arrays.copyOf(award, size), java.util.Arrays.copyOf(model, size),
                java.util.Arrays.copyOf(gpus, size), java.util.Arrays.copyOf(start, size), java.util.Arrays.copyOf(end, size),
                new HashMap<>(open), java.util.Arrays.copyOf(nodes, size), java.util.Arrays.copyOf(nodeGpus, size),
                java.util.Arrays.copyOf(borrowed, size), new HashMap<>(lastRun));
    }

    public void restore(Data d) {
        size = d.project().length;
        int cap = Math.max(1024, Integer.highestOneBit(Math.max(1, size)) * 2);
        project = java.util.Arrays.copyOf(d.project(), cap);
        award = java.util.Arrays.copyOf(d.award(), cap);
        model = java.util.Arrays.copyOf(d.model(), cap);
        gpus = java.util.Arrays.copyOf(d.gpus(), cap);
        start = java.util.Arrays.copyOf(d.start(), cap);
        end = java.util.Arrays.copyOf(d.end(), cap);
        open.clear();
        open.putAll(d.open());
        nodes = d.nodes() == null ? new int[cap][] : java.util.Arrays.copyOf(d.nodes(), cap);
        nodeGpus = d.nodeGpus() == null ? new int[cap][] : java.util.Arrays.copyOf(d.nodeGpus(), cap);
        borrowed = d.borrowed() == null ? new boolean[cap] : java.util.Arrays.copyOf(d.borrowed(), cap);
        lastRun.clear();
        if (d.lastRun() != null) lastRun.putAll(d.lastRun());
    }

    /**
     * Visits each run's GPU-seconds inside [from, to), with runs still going counted up to {@code now} (or their
     * walltime's end, when that has passed and the tick that ends them has not come yet).
     */
    public void forEach(long from, long to, long now, RunVisitor visitor) {
        for (int i = 0; i < size; i++) {
            long e = Math.min(Math.min(end[i], now), to); // a run still going: up to now, at most to its walltime's end
            long s = Math.max(start[i], from);
            if (e > s) visitor.visit(project[i], award[i], model[i], (long) gpus[i] * (e - s));
        }
    }

    /** Receives one run's share of the range. */
    @FunctionalInterface
    public interface RunVisitor {
        void visit(int project, int award, int model, long gpuSeconds);
    }
}
