package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.RandomCommands;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.server.journal.EventCodec;
import kr.nuri.server.usage.UsageLedger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journal's and the snapshots' JSON, on the seeded random command streams of the engine's tests: every event
 * survives encode → decode → encode unchanged, an engine fed only the decoded events reaches the same state hash,
 * and an engine restored from a snapshot that went through the server's JSON (with the usage ledger beside it)
 * decides every later command exactly as the original.
 */
class JournalCodecTest {
    private static final int COMMANDS = 2_000;
    private final JsonMapper json = Json.mapper();

    @Test
    void eventsAndSnapshotsRoundTripThroughTheServersJson() {
        long events = 0;
        for (long seed = 1; seed <= 8; seed++) {
            try {
                events += stream(seed);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (shape " + seed % 4 + ")", t);
            }
        }
        // About two events per command (refused commands make none: with pools, more quotas and awards are refused).
        assertThat(events).as("events round-tripped").isGreaterThan(6 * COMMANDS);
    }

    private long stream(long seed) {
        RandomCommands stream = new RandomCommands(seed, (int) (seed % 4));
        var config = stream.config().withAssertions(AssertionLevel.CHEAP);
        Engine live = new Engine(config);
        EventCodec codec = new EventCodec(json, kr.nuri.server.journal.FleetIdentity.of(config)).withPools(config.fleet());
        Engine fromJournal = new Engine(config);
        Engine fromSnapshot = null;
        UsageLedger ledger = new UsageLedger();
        UsageLedger restoredLedger = null;
        long seq = 0;
        for (int n = 0; n < COMMANDS; n++) {
            Command c = stream.next(live);
            List<Event> produced = live.apply(c).events();
            List<String> encoded = new ArrayList<>();
            for (Event e : produced) {
                ledger.observe(e, live);
                String text = codec.encode(e);
                Event decoded = codec.decode(++seq, EventCodec.kind(e), text);
                assertThat(codec.encode(decoded)).as("event %d re-encoded", seq).isEqualTo(text);
                fromJournal.replay(decoded);
                encoded.add(text);
            }
            if (fromSnapshot != null) {
                List<String> again = new ArrayList<>();
                for (Event e : fromSnapshot.apply(c).events()) {
                    restoredLedger.observe(e, fromSnapshot);
                    again.add(codec.encode(e));
                }
                assertThat(again).as("events of command %d after a restore from JSON", n).isEqualTo(encoded);
            }
            if (n == COMMANDS / 2) {
                String body = json.writeValueAsString(new ServerSnapshots.Body(live.snapshot(), ledger.snapshot(), codec.identity().orderHash()));
                ServerSnapshots.Body read = json.readValue(body, ServerSnapshots.Body.class);
                assertThat(json.writeValueAsString(read)).as("snapshot re-encoded").isEqualTo(body);
                fromSnapshot = new Engine(config);
                fromSnapshot.restore(read.engine());
                restoredLedger = new UsageLedger();
                restoredLedger.restore(read.ledger());
                assertThat(fromSnapshot.stateHash()).as("hash after a restore from JSON").isEqualTo(live.stateHash());
            }
        }
        assertThat(fromJournal.stateHash()).as("hash of the engine fed decoded events").isEqualTo(live.stateHash());
        assertThat(fromSnapshot.stateHash()).as("hash of the engine restored from JSON").isEqualTo(live.stateHash());
        assertThat(restoredLedger.snapshot()).as("usage ledger restored from JSON").usingRecursiveComparison().isEqualTo(ledger.snapshot());
        return seq;
    }
}
