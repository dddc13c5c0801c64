package kr.nuri.server.loop;

/** A unit of work run on the engine thread: a command to apply, or a query to answer. */
@FunctionalInterface
public interface Work<T> {
    T run(Session session);
}
