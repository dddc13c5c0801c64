package kr.nuri.server.exec;

import kr.nuri.server.loop.Work;

/**
 * How an executor's reports reach the engine: as work on the engine thread, journaled like any request. The future fails
 * when the engine cannot take it now (its queue full, or stopped): the executor reports again at its next poll.
 */
@FunctionalInterface
interface Feedback {
    java.util.concurrent.CompletableFuture<?> submit(Work<?> work);
}
