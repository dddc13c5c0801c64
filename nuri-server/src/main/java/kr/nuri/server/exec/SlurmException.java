package kr.nuri.server.exec;

/**
 * A call to a site's Slurm failed. {@code transient}: the site could not be reached or answered with a server error (retry
 * later; the site is unknown, not failed); otherwise Slurm refused what was asked (do not retry the same request).
 */
final class SlurmException extends RuntimeException {
    private final boolean unreachable;

    SlurmException(String message, boolean unreachable) {
        super(message);
        this.unreachable = unreachable;
    }

    boolean unreachable() { return unreachable; }
}
