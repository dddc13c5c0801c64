package kr.nuri.sim.trace;

import java.nio.file.Path;

/** A trace that cannot be read as what it claims to be; the message names the file, line, column and value. */
public final class TraceException extends RuntimeException {
    public TraceException(Path file, long line, String column, String value, String problem) {
        super(file + ", line " + line + (column == null ? "" : ", column " + column)
                + (value == null ? "" : ": value '" + value + "'") + ": " + problem);
    }

    public TraceException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
