package kr.nuri.server.api;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.StateView;
import kr.nuri.server.auth.Role;

/** The server's own state for operators: journal length, state hash, job counts, engine time. */
final class StatusApi {
    private final ApiContext api;
    private final LongSupplier journalEvents;
    private final String version;

    StatusApi(ApiContext api, LongSupplier journalEvents, String version) {
        this.api = api;
        this.journalEvents = journalEvents;
        this.version = version;
    }

    List<ApiRoute> routes() {
        return List.of(new ApiRoute(GET, "/api/v1/status", Set.of(Role.OPERATOR, Role.PROGRAMME_MANAGER),
                "Journal length, state hash, job counts, engine time and the queue order", null, this::status));
    }

    record Status(String version, String fleet, long gpus, String queueOrder, String engineTime, long journalEvents, String stateHash,
                  long pending, long running, long finished, int engineQueue) {}

    private void status(Context ctx) {
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            long pending = 0;
            long running = 0;
            long finished = 0;
            for (Job j : st.jobs()) {
                if (j.state() == JobState.PENDING) pending++;
                else if (j.state() == JobState.RUNNING) running++;
                else finished++;
            }
            return new Status(version, st.fleet().name(), st.fleet().totalGpus(), st.config().scheduler().queueOrder(), Views.time(st.now()), journalEvents.getAsLong(),
                    String.format("%016x", s.engine().stateHash()), pending, running, finished, api.loop.queueDepth());
        }));
    }
}
