package kr.nuri.sim;

/** Where long runs report how far they are; thread-safe implementations only (runs may go in parallel). */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) { }

        @Override
        public void advance(long done) { }
    };

    /** A new stretch of work of {@code total} units begins. */
    void start(String task, long total);

    /** {@code done} more units are done. */
    void advance(long done);
}
