package kr.nuri.server.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;

/**
 * Execution without a real cluster manager: a started job with a declared runtime completes when that
 * runtime has elapsed (a client may report completion earlier). The port a real dispatch backend replaces.
 */
public final class VirtualExecution implements EventObserver {
    private final PriorityQueue<Due> due = new PriorityQueue<>();

    @Override
    public void observe(Event event, Engine engine) {
        if (event instanceof Event.JobStarted s) {
            Job job = engine.job(s.jobId());
            long runtime = job.spec().runtime();
            if (runtime > 0) due.add(new Due(s.time() + runtime, s.jobId(), job.runs()));
        }
    }

    /** After a restore from a snapshot: every running job with a declared runtime is due at start + runtime. */
    public void rebuild(Engine engine) {
        due.clear();
        for (Job job : engine.state().running().byDeadline()) {
            if (job.spec().runtime() > 0) due.add(new Due(job.startTime() + job.spec().runtime(), job.id(), job.runs()));
        }
    }

    /** Jobs whose runtime has elapsed by {@code now} and that are still in the run that started them. */
    public List<String> dueBy(long now, Engine engine) {
        List<String> out = new ArrayList<>();
        while (!due.isEmpty() && due.peek().at() <= now) {
            Due d = due.poll();
            Job job = engine.job(d.jobId());
            if (job != null && job.state() == JobState.RUNNING && job.runs() == d.run()) out.add(d.jobId());
        }
        return out;
    }

    private record Due(long at, String jobId, int run) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : jobId.compareTo(o.jobId);
        }
    }
}
