package kr.nuri.server.api;

import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.journal.EventCodec;

/**
 * The server-sent-event stream of job and node events. Each durable batch is turned into messages once
 * (on the engine thread, where jobs can be looked up); each client has its own bounded queue drained by
 * its own virtual thread, so a slow client never slows the engine: when its queue overflows it is
 * disconnected and reconnects. Every message carries its journal position as its {@code id:}; a client that
 * reconnects with {@code Last-Event-ID} gets what it missed from the last {@value #KEPT} messages (a
 * Kubernetes watch's resume); if it missed more (or the server restarted since), what it missed is read back from the
 * journal (up to {@value #REPLAY_MAX} events); beyond that, or for rows of the journal's first format, an
 * {@code event: reset} tells it to read the state again.
 */
final class EventStream {
    private static final int CLIENT_QUEUE = 10_000;
    /** Recent messages kept for clients that reconnect. */
    static final int KEPT = 10_000;
    /** Streams one token may hold open at once. */
    static final int MAX_PER_TOKEN = 4;
    /** The most events a reconnecting client is sent from the journal; further behind, it reads the state again. */
    static final int REPLAY_MAX = 100_000;
    private final Access access;
    private final EventCodec codec;
    /** Reads what a client missed from the journal; null = not available (a reset instead). */
    private volatile Replay replay;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    /** Guards {@link #recent} and client registration against delivery, so a resume neither misses nor repeats. */
    private final Object lock = new Object();
    private final java.util.ArrayDeque<Message> recent = new java.util.ArrayDeque<>();
    /** The journal position of the last event delivered (or, before any, of the journal's end at start). */
    private long lastSeq;

    EventStream(Access access, EventCodec codec, long journalEnd) {
        this.access = access;
        this.codec = codec;
        this.lastSeq = journalEnd;
    }

    /** A message, its journal position, and what decides who may see it: the job (for job events) or nothing (node events). */
    record Message(long seq, String kind, String data, Job job, boolean operatorsOnly, String nodeOwner) {
        Message(long seq, String kind, String data, Job job, boolean operatorsOnly) {
            this(seq, kind, data, job, operatorsOnly, null);
        }
    }

    /** Called on the engine thread for each batch; the returned delivery runs once the batch is durable. */
    Runnable prepare(long firstSeq, List<Event> events, Engine engine) {
        List<Message> messages = new java.util.ArrayList<>();
        long seq = firstSeq;
        for (Event e : events) {
            String kind = EventCodec.kind(e);
            long at = seq++;
            Message m = switch (e) {
                case Event.JobSubmitted s -> new Message(at, kind, withoutLaunch(codec.encode(e)), engine.job(s.spec().id()), false);
                case Event.JobStarted s -> new Message(at, kind, started(s, engine), engine.job(s.jobId()), false);
                case Event.JobEnded s -> new Message(at, kind, codec.encode(e), engine.job(s.jobId()), false);
                case Event.NodeHealthChanged n -> new Message(at, kind, "{\"time\":" + n.time() + ",\"node\":\""
                        + engine.state().fleet().nodeName(n.node()) + "\",\"health\":\"" + n.health() + "\"}", null, false,
                        engine.state().fleet().ownerOfBlock(engine.state().fleet().blockOfNode(n.node())));
                case Event.QuotaSet q -> new Message(at, kind, codec.encode(e), null, true);
                case Event.AwardGranted a -> new Message(at, kind, codec.encode(e), null, true);
                case Event.AwardRevised a -> new Message(at, kind, codec.encode(e), null, true);
                default -> null;
            };
            if (m != null) messages.add(m);
        }
        long last = seq - 1;
        return () -> deliver(messages, last);
    }

    private boolean sees(Principal p, Message m) {
        if (m.job() != null) return access.seesJob(p, m.job());
        if (m.nodeOwner() != null) return access.seesNode(p, m.nodeOwner());
        return !m.operatorsOnly() || p.readsAll();
    }

    private void deliver(List<Message> messages, long last) {
        synchronized (lock) {
            for (Message m : messages) {
                recent.addLast(m);
                if (recent.size() > KEPT) recent.removeFirst();
                for (Client c : clients) {
                    if (sees(c.principal, m) && !c.queue.offer(m)) c.overflowed = true;
                }
            }
            lastSeq = Math.max(lastSeq, last);
        }
    }

    /** Node, GPU model and pool names rather than the engine's indexes. */
    record Started(long time, String jobId, String model, String pool, List<String> nodes, int[] gpus, boolean borrowed) {}

    private String started(Event.JobStarted s, Engine engine) {
        var fleet = engine.state().fleet();
        List<String> nodes = java.util.Arrays.stream(s.nodes()).mapToObj(fleet::nodeName).toList();
        return codec.json().writeValueAsString(new Started(s.time(), s.jobId(), fleet.models().get(fleet.modelOfPool(s.pool())), fleet.poolName(s.pool()),
                nodes, s.gpus(), s.borrowed()));
    }

    /** What a reconnecting client missed, from the journal: messages after {@code after} up to {@code upTo}, or null (reset). */
    @FunctionalInterface
    interface Replay {
        List<Message> missed(long after, long upTo);
    }

    void replayFrom(Replay replay) {
        this.replay = replay;
    }

    /**
     * Messages of raw journal rows, as {@link #prepare} makes them live: on the engine thread (jobs are looked up for who may
     * see them). Null when a row is of the journal's first format (positions, not names): that stretch cannot be replayed.
     */
    List<Message> fromRows(List<String[]> rows, Engine engine) {
        var fleet = engine.state().fleet();
        List<String> pools = fleet.pools().stream().map(x -> x.toUpperCase(java.util.Locale.ROOT)).toList();
        List<Message> out = new java.util.ArrayList<>();
        for (String[] r : rows) {
            long seq = Long.parseLong(r[0]);
            String kind = r[1];
            tools.jackson.databind.JsonNode b = codec.json().readTree(r[2]);
            switch (kind) {
                case "JobSubmitted" -> out.add(new Message(seq, kind, withoutLaunch(r[2]), engine.job(b.path("spec").path("id").asString()), false));
                case "JobEnded" -> out.add(new Message(seq, kind, r[2], engine.job(b.path("jobId").asString()), false));
                case "JobStarted" -> {
                    if (!b.path("pool").isString() || !b.path("nodes").path(0).isString()) return null;
                    int pool = pools.indexOf(b.path("pool").asString().toUpperCase(java.util.Locale.ROOT));
                    List<String> nodes = new java.util.ArrayList<>();
                    for (var n : b.path("nodes")) nodes.add(n.asString());
                    int[] gpus = new int[b.path("gpus").size()];
                    for (int i = 0; i < gpus.length; i++) gpus[i] = b.path("gpus").path(i).asInt();
                    String data = codec.json().writeValueAsString(new Started(b.path("time").asLong(), b.path("jobId").asString(),
                            pool < 0 ? null : fleet.models().get(fleet.modelOfPool(pool)), pool < 0 ? b.path("pool").asString() : fleet.poolName(pool),
                            nodes, gpus, b.path("borrowed").asBoolean()));
                    out.add(new Message(seq, kind, data, engine.job(b.path("jobId").asString()), false));
                }
                case "NodeHealthChanged" -> {
                    if (!b.path("node").isString()) return null;
                    int n = fleet.nodeIndex(b.path("node").asString());
                    out.add(new Message(seq, kind, "{\"time\":" + b.path("time").asLong() + ",\"node\":\"" + b.path("node").asString()
                            + "\",\"health\":\"" + b.path("health").asString() + "\"}", null, false,
                            n < 0 ? "" : fleet.ownerOfBlock(fleet.blockOfNode(n))));
                }
                case "QuotaSet", "AwardGranted", "AwardRevised" -> {
                    if (kind.equals("QuotaSet") && !b.path("tenant").isString()) return null;
                    out.add(new Message(seq, kind, r[2], null, true));
                }
                default -> { }
            }
        }
        return out;
    }

    /**
     * A submission as the stream shows it: without what its site runs (the script and its environment, which may hold the
     * submitter's secrets; the journal keeps them for the site, the stream has no need of them).
     */
    private String withoutLaunch(String submitted) {
        if (!submitted.contains("\"launch\"")) return submitted;
        tools.jackson.databind.node.ObjectNode o = (tools.jackson.databind.node.ObjectNode) codec.json().readTree(submitted);
        if (o.path("spec") instanceof tools.jackson.databind.node.ObjectNode spec && spec.hasNonNull("launch")) spec.put("launch", "(not shown)");
        return codec.json().writeValueAsString(o);
    }

    /** Whether this token may open one more stream. */
    boolean admits(Principal p) {
        return clients.stream().filter(c -> c.principal.tokenId().equals(p.tokenId())).count() < MAX_PER_TOKEN;
    }

    /**
     * Serves one client until it goes; {@code lastEventId}: the {@code Last-Event-ID} it sent (-1 = a new stream).
     */
    void serve(SseClient sse, Principal principal, long lastEventId) {
        Client c = new Client(principal);
        boolean reset = false;
        long replayUpTo = -1; // the journal holds what it missed up to here (the messages kept here follow)
        synchronized (lock) {
            if (lastEventId >= 0 && lastEventId < lastSeq) {
                long oldest = recent.isEmpty() ? Long.MAX_VALUE : recent.peekFirst().seq();
                if (oldest > lastEventId + 1 && lastSeq > lastEventId) {
                    // It missed events no longer held here: from the journal, if not too many.
                    long upTo = recent.isEmpty() ? lastSeq : oldest - 1;
                    if (replay != null && upTo - lastEventId <= REPLAY_MAX) replayUpTo = upTo;
                    else reset = true;
                }
                for (Message m : recent) {
                    if (!reset && m.seq() > lastEventId && sees(principal, m)) c.queue.offer(m);
                }
            }
            clients.add(c);
        }
        sse.onClose(() -> clients.remove(c));
        sse.sendComment("connected as " + principal.user());
        if (replayUpTo >= 0) {
            List<Message> missed = replay.missed(lastEventId, replayUpTo);
            if (missed == null) {
                reset = true;
            } else {
                for (Message m : missed) if (sees(principal, m)) sse.sendEvent(m.kind(), m.data(), Long.toString(m.seq()));
            }
        }
        if (reset) {
            sse.sendEvent("reset", "{\"detail\":\"events after " + lastEventId + " are no longer held; read the state again\"}",
                    Long.toString(lastSeq));
        }
        try {
            while (!sse.terminated() && !c.overflowed) {
                Message m = c.queue.poll(15, TimeUnit.SECONDS);
                if (m == null) sse.sendComment("keep-alive");
                else sse.sendEvent(m.kind(), m.data(), Long.toString(m.seq()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(c);
            sse.close();
        }
    }

    int clients() { return clients.size(); }

    private static final class Client {
        final Principal principal;
        final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
        volatile boolean overflowed;

        Client(Principal principal) {
            this.principal = principal;
        }
    }
}
