package kr.nuri.server.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store's write-ahead file: every journal row is appended here and forced to disk before the
 * rows go into H2 and their requests are answered. H2, killed, was measured to lose commits that
 * {@code CHECKPOINT SYNC} had returned from (see README, durability); this file does not depend on it. On the
 * next start the rows H2 lacks are put back into H2 before anything reads it (see {@link Database}).
 *
 * <p>One row per line, tab-separated: {@code E seq at kind body} for an event (the body is compact JSON, which
 * holds no tab or newline), {@code C seq hash at} for a state-hash checkpoint. A line without its newline is
 * the write a kill interrupted; it was never acknowledged and is ignored.
 */
public final class JournalFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    /** A row read back: an event ({@code kind != null}) or a checkpoint. */
    public record Row(long seq, long at, String kind, String body, long hash) {
        public static Row event(long seq, long at, String kind, String body) {
            return new Row(seq, at, kind, body, 0);
        }

        public static Row checkpoint(long seq, long hash, long at) {
            return new Row(seq, at, null, null, hash);
        }

        public boolean event() { return kind != null; }
    }

    private JournalFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens (creating if missing) the file for appending. */
    public static JournalFile open(Path path) {
        try {
            return new JournalFile(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Appends rows and forces them to disk. */
    public void append(List<Row> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (Row r : rows) format(text, r);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(text));
        try {
            while (bytes.hasRemaining()) channel.write(bytes);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    static void format(StringBuilder out, Row r) {
        if (!r.event()) {
            out.append("C\t").append(r.seq()).append('\t').append(r.hash()).append('\t').append(r.at()).append('\n');
            return;
        }
        if (r.body().indexOf('\n') >= 0 || r.body().indexOf('\t') >= 0) {
            throw new IllegalArgumentException("event " + r.seq() + " (" + r.kind() + ") encodes to a body with a tab or newline");
        }
        out.append("E\t").append(r.seq()).append('\t').append(r.at()).append('\t').append(r.kind()).append('\t').append(r.body()).append('\n');
    }

    /** The complete rows of a file, in order; none if it does not exist. */
    public static List<Row> read(Path path) {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(path)) return rows;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            int lineNo = 0;
            for (int c; (c = in.read()) >= 0; ) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                lineNo++;
                rows.add(parse(path, lineNo, line.toString()));
                line.setLength(0);
            }
            // What is left without a newline is an interrupted, unacknowledged write.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal file " + path + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static Row parse(Path path, int lineNo, String line) {
        String[] f = line.split("\t", 5);
        try {
            if (f[0].equals("E") && f.length == 5) return Row.event(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4]);
            if (f[0].equals("C") && f.length == 4) return Row.checkpoint(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(path + " line " + lineNo + " is not a journal row: '"
                + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "'. The file is damaged; move it aside to start from H2 alone.");
    }

    /** Empties the file (its rows are durable elsewhere) and forces that. */
    public static void truncate(Path path) {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
            c.truncate(0);
            c.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing after a failure: nothing more to keep
        }
    }
}
