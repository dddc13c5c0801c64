package kr.nuri.core.engine;

import java.util.List;
import kr.nuri.core.event.Event;
import kr.nuri.core.schedule.PassStats;

/**
 * What applying a command produced: the events to journal (already replayed on the engine) and the pass
 * statistics, or a rejection with no events.
 */
public record Result(List<Event> events, Rejection rejection, PassStats pass) {
    public boolean accepted() {
        return rejection == null;
    }

    static Result rejected(Rejection r) {
        return new Result(List.of(), r, null);
    }
}
