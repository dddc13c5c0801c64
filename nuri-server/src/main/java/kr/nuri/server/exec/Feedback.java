package kr.nuri.server.exec;

import kr.nuri.server.loop.Work;

/** How an executor's reports reach the engine: as work on the engine thread, journaled like any request. */
@FunctionalInterface
interface Feedback {
    void submit(Work<?> work);
}
