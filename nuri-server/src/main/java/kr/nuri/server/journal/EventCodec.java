package kr.nuri.server.journal;

import java.util.HashMap;
import java.util.Map;
import kr.nuri.core.event.Event;
import tools.jackson.databind.json.JsonMapper;

/** Events as journal rows: the record's simple name as the kind, its components as JSON. */
public final class EventCodec {
    private static final Map<String, Class<? extends Event>> KINDS = new HashMap<>();

    static {
        for (Class<?> c : Event.class.getPermittedSubclasses()) {
            KINDS.put(c.getSimpleName(), c.asSubclass(Event.class));
        }
    }

    private final JsonMapper json;

    public EventCodec(JsonMapper json) {
        this.json = json;
    }

    public JsonMapper json() {
        return json;
    }

    public static String kind(Event e) {
        return e.getClass().getSimpleName();
    }

    public String encode(Event e) {
        return json.writeValueAsString(e);
    }

    public Event decode(long seq, String kind, String body) {
        Class<? extends Event> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalStateException("journal row " + seq + " has kind '" + kind
                    + "', which this version of Nuri does not know. Maybe it was written by a newer version?");
        }
        return json.readValue(body, type);
    }
}
