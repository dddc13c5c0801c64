package kr.nuri.server.journal;

/** One row of the journal as stored: an event ({@code kind != null}, its JSON {@code body}) or a state-hash checkpoint. */
public record JournalRow(long seq, long at, String kind, String body, long hash) {
    public static JournalRow event(long seq, long at, String kind, String body) {
        return new JournalRow(seq, at, kind, body, 0);
    }

    public static JournalRow checkpoint(long seq, long hash, long at) {
        return new JournalRow(seq, at, null, null, hash);
    }

    public boolean event() { return kind != null; }
}
