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
 * <p>The file is kept in segments, so that it does not grow with the journal: when the current one
 * ({@code nuri.wal}) passes its size, {@link Journal} syncs H2 ({@code CHECKPOINT SYNC}) and {@link #rotate}
 * renames it to {@code nuri.wal.1}, deleting the segment that name held. A segment is deleted only one rotation
 * later because H2's sync can return while a store that began before it is still being written (see README,
 * durability): the rows of the segment it deletes were committed before the previous rotation's sync, and a whole
 * segment of H2 stores and another sync have followed. On start both segments, older first, are read back.
 *
 * <p>One row per line, tab-separated: {@code E seq at kind body} for an event (the body is compact JSON, which
 * holds no tab or newline), {@code C seq hash at} for a state-hash checkpoint. A line without its newline is
 * the write a kill interrupted; it was never acknowledged and is ignored.
 */
public final class JournalFile implements AutoCloseable {
    private final Path path;
    private final long segmentBytes;
    private FileChannel channel;
    private long written;

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

    private JournalFile(Path path, long segmentBytes) {
        if (segmentBytes <= 0) throw new IllegalArgumentException("segment size " + segmentBytes + " bytes is not positive");
        this.path = path;
        this.segmentBytes = segmentBytes;
        this.channel = openChannel(path);
        try {
            this.written = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens (creating if missing) the file for appending; it is due for rotation once it holds {@code segmentBytes}. */
    public static JournalFile open(Path path, long segmentBytes) {
        return new JournalFile(path, segmentBytes);
    }

    private static FileChannel openChannel(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The older segment of {@code path}: {@code <path>.1}. */
    public static Path previous(Path path) {
        return path.resolveSibling(path.getFileName() + ".1");
    }

    /** Whether the current segment has reached its size (the caller syncs the database, then {@link #rotate}s). */
    public boolean rotationDue() {
        return written >= segmentBytes;
    }

    /**
     * Starts a new segment: deletes the older one, renames the current one to it and opens an empty one. Only
     * after the database was synced; each step leaves files a start reads correctly if the process dies there.
     */
    public void rotate() {
        Path older = previous(path);
        try {
            channel.close();
            Files.deleteIfExists(older);
            Files.move(path, older, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            channel = openChannel(path);
            written = 0;
            forceDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a new segment of the journal file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Makes a rename or creation in the file's directory durable (a no-op where directories cannot be opened). */
    private static void forceDirectory(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; its renames are durable when they return
        }
    }

    /** Appends rows and forces them to disk. */
    public void append(List<Row> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (Row r : rows) format(text, r);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(text));
        try {
            written += bytes.remaining();
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

    /** The complete rows of both segments, the older first; none if neither exists. */
    public static List<Row> readSegments(Path path) {
        List<Row> rows = read(previous(path));
        rows.addAll(read(path));
        return rows;
    }

    /** The complete rows of one file, in order; none if it does not exist. */
    static List<Row> read(Path path) {
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

    /** Deletes the older segment and empties the current one (their rows are durable elsewhere), and forces that. */
    public static void truncate(Path path) {
        try {
            Files.deleteIfExists(previous(path));
            if (Files.exists(path)) {
                try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    c.truncate(0);
                    c.force(true);
                }
            }
            forceDirectory(path);
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
