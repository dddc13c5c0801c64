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
 * disconnected and reconnects.
 */
final class EventStream {
    private static final int CLIENT_QUEUE = 10_000;
    private final Access access;
    private final EventCodec codec;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    EventStream(Access access, EventCodec codec) {
        this.access = access;
        this.codec = codec;
    }

    /** A message and what decides who may see it: the job (for job events) or nothing (node events). */
    record Message(String kind, String data, Job job, boolean operatorsOnly) {}

    /** Called on the engine thread for each batch; the returned delivery runs once the batch is durable. */
    Runnable prepare(List<Event> events, Engine engine) {
        if (clients.isEmpty()) return () -> { };
        List<Message> messages = new java.util.ArrayList<>();
        for (Event e : events) {
            String kind = EventCodec.kind(e);
            Message m = switch (e) {
                case Event.JobSubmitted s -> new Message(kind, codec.encode(e), engine.job(s.spec().id()), false);
                case Event.JobStarted s -> new Message(kind, started(s, engine), engine.job(s.jobId()), false);
                case Event.JobEnded s -> new Message(kind, codec.encode(e), engine.job(s.jobId()), false);
                case Event.NodeHealthChanged n -> new Message(kind, "{\"time\":" + n.time() + ",\"node\":\""
                        + engine.state().fleet().nodeName(n.node()) + "\",\"health\":\"" + n.health() + "\"}", null, false);
                case Event.QuotaSet q -> new Message(kind, codec.encode(e), null, true);
                case Event.AwardGranted a -> new Message(kind, codec.encode(e), null, true);
                case Event.AwardRevised a -> new Message(kind, codec.encode(e), null, true);
                default -> null;
            };
            if (m != null) messages.add(m);
        }
        return () -> deliver(messages);
    }

    private void deliver(List<Message> messages) {
        for (Message m : messages) {
            for (Client c : clients) {
                if (m.job() != null ? access.seesJob(c.principal, m.job()) : !m.operatorsOnly() || c.principal.readsAll()) {
                    if (!c.queue.offer(m)) c.overflowed = true;
                }
            }
        }
    }

    /** Node and model names rather than the engine's indexes. */
    record Started(long time, String jobId, String model, List<String> nodes, int[] gpus, boolean borrowed) {}

    private String started(Event.JobStarted s, Engine engine) {
        var fleet = engine.state().fleet();
        List<String> nodes = java.util.Arrays.stream(s.nodes()).mapToObj(fleet::nodeName).toList();
        return codec.json().writeValueAsString(new Started(s.time(), s.jobId(), fleet.models().get(s.model()), nodes, s.gpus(), s.borrowed()));
    }

    void serve(SseClient sse, Principal principal) {
        Client c = new Client(principal);
        clients.add(c);
        sse.onClose(() -> clients.remove(c));
        sse.sendComment("connected as " + principal.user());
        try {
            while (!sse.terminated() && !c.overflowed) {
                Message m = c.queue.poll(15, TimeUnit.SECONDS);
                if (m == null) sse.sendComment("keep-alive");
                else sse.sendEvent(m.kind(), m.data());
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
