package kr.nuri.server.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.nuri.core.event.Event;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events as journal rows: the record's simple name as the kind, its components as JSON.
 *
 * <p>Format 2 (this build) names what an event refers to: {@code "model": "H100"}, {@code "nodes": ["h-1-r1-n1", …]},
 * {@code "node"}, {@code "tenant"}. The engine's indexes are positions in the fleet file, which an operator may reorder;
 * names are not. Rows of format 1 (builds before 2026-12-07, up to {@link #legacyEnd}) hold those positions, and are
 * read through the identity they were written with ({@link FleetIdentity}), then into this fleet's positions by name.
 *
 * <p>Since pools (owner × GPU model), events name a {@code "pool"} ({@code "B200@naicc"}, or {@code "B200"} where no owner
 * is named). Rows written before name a GPU {@code "model"}: it reads as the pool of that name when there is one (a
 * fleet without owners), else, for a start or a reservation, as the pool of its first node.
 */
public final class EventCodec {
    /** The format this build writes. */
    public static final int FORMAT = 2;
    private static final Map<String, Class<? extends Event>> KINDS = new HashMap<>();
    /** The kinds that refer to nodes, models or tenants, whose references change between formats. */
    private static final Set<String> REFERRING = Set.of("JobStarted", "NodeHealthChanged", "QuotaSet", "ReservationMade");

    static {
        for (Class<?> c : Event.class.getPermittedSubclasses()) {
            KINDS.put(c.getSimpleName(), c.asSubclass(Event.class));
        }
    }

    private final JsonMapper json;
    private final FleetIdentity identity;
    private final FleetIdentity.Lookup lookup;
    /** The tenants by position: the fleet file's, then those created at runtime as their rows pass (learned). */
    private final List<String> tenantNames;
    private final long legacyEnd;
    private final FleetIdentity legacy;
    /** The pool of each node of this fleet (for rows that name a GPU model, not a pool); null when not known. */
    private int[] nodePool;
    /** The fleet as the rows passed so far left it (blocks added and owners changed at runtime); null when not known. */
    private kr.nuri.core.fleet.Fleet fleet;
    /** The quota tree of the fleet file (for quota rows written before pools, which name a GPU model); null when not known. */
    private kr.nuri.core.tenancy.TenantTree tree;
    /** Nodes and pools by position, as {@link #fleet} has them (the identity's, then those added at runtime). */
    private List<String> nodeNames;
    private List<String> poolNames;

    /** A codec that writes and reads format 2 only, on the fleet named by {@code identity}. */
    public EventCodec(JsonMapper json, FleetIdentity identity) {
        this(json, identity, 0, null, null);
    }

    private EventCodec(JsonMapper json, FleetIdentity identity, long legacyEnd, FleetIdentity legacy, kr.nuri.core.fleet.Fleet fleet) {
        this.json = json;
        this.identity = identity;
        FleetIdentity.Lookup l = identity.lookup();
        this.lookup = new FleetIdentity.Lookup(l.model(), l.node(), new java.util.concurrent.ConcurrentHashMap<>(l.tenant()));
        this.tenantNames = new java.util.concurrent.CopyOnWriteArrayList<>(identity.tenants());
        this.legacyEnd = legacyEnd;
        this.legacy = legacy;
        this.nodeNames = identity.nodes();
        this.poolNames = identity.models();
        if (fleet != null) follow(fleet);
    }

    /** This codec, reading rows up to {@code end} as format 1 written on the fleet named by {@code written}. */
    public EventCodec withLegacy(long end, FleetIdentity written) {
        EventCodec c = new EventCodec(json, identity, end, written, fleet);
        c.tree = tree;
        return c;
    }

    /**
     * This codec, knowing the fleet its identity names: the pool of each node (to read rows written before pools), and the
     * blocks added and owners changed at runtime as their rows pass.
     */
    public EventCodec withPools(kr.nuri.core.fleet.Fleet fleet) {
        EventCodec c = new EventCodec(json, identity, legacyEnd, legacy, fleet);
        c.tree = tree;
        return c;
    }

    /** {@link #withPools(kr.nuri.core.fleet.Fleet)}, and the quota tree, for quota rows written before pools. */
    public EventCodec withPools(kr.nuri.core.config.EngineConfig config) {
        EventCodec c = withPools(config.fleet());
        c.tree = config.tree();
        return c;
    }

    /** Takes {@code f} as the fleet: positions of nodes and pools, each node's pool (only appended to, never moved). */
    private void follow(kr.nuri.core.fleet.Fleet f) {
        fleet = f;
        int[] pools = new int[f.nodeCount()];
        for (int n = 0; n < pools.length; n++) pools[n] = f.poolOfNode(n);
        nodePool = pools;
        List<String> nodes = new java.util.ArrayList<>(f.nodeCount());
        for (int n = 0; n < f.nodeCount(); n++) nodes.add(f.nodeName(n));
        List<String> names = f.pools().stream().map(x -> x.toUpperCase(java.util.Locale.ROOT)).toList();
        if (!nodes.subList(0, Math.min(nodes.size(), identity.nodes().size())).equals(identity.nodes())
                || !names.subList(0, Math.min(names.size(), identity.models().size())).equals(identity.models())) {
            throw new IllegalStateException("the codec's fleet does not begin with the nodes and pools its identity names");
        }
        for (int n = identity.nodes().size(); n < nodes.size(); n++) lookup.node().put(nodes.get(n), n);
        for (int p = identity.models().size(); p < names.size(); p++) lookup.model().put(names.get(p), p);
        nodeNames = nodes;
        poolNames = names;
    }

    /**
     * What a snapshot holds of the rows before it, whose decoding a start from it skips: the tenants created and the fleet
     * changed at runtime, so that the rows after name them.
     */
    public synchronized void follow(kr.nuri.core.state.Snapshot snapshot) {
        for (kr.nuri.core.tenancy.TenantSpec t : snapshot.createdTenants()) learn(t.name());
        for (kr.nuri.core.fleet.FleetChange c : snapshot.changesOfFleet()) {
            if (fleet == null) throw new IllegalStateException("a codec without its fleet cannot follow the snapshot's fleet changes");
            kr.nuri.core.fleet.Fleet next = c.apply(fleet);
            if (next != fleet) follow(next);
        }
    }

    /** A block added or given another owner at runtime (encoded or decoded, in journal order): the fleet follows. */
    private synchronized void changed(Event e) {
        kr.nuri.core.fleet.FleetChange change = switch (e) {
            case Event.BlockAdded b -> kr.nuri.core.fleet.FleetChange.added(b.site(), b.block(), b.model(), b.owner(), b.racks(), b.nodesPerRack(),
                    b.gpusPerNode());
            case Event.BlockOwnerChanged o -> kr.nuri.core.fleet.FleetChange.owner(o.block(), o.owner());
            default -> null;
        };
        if (change == null) return;
        if (fleet == null) throw new IllegalStateException("a codec without its fleet cannot follow " + e + "; make it with withPools");
        kr.nuri.core.fleet.Fleet next = change.apply(fleet);
        if (next != fleet) follow(next);
    }

    /** A codec reading every row as format 1, positions in the fleet {@code written} (an imported store of an old build). */
    public static EventCodec format1(JsonMapper json, FleetIdentity written) {
        return new EventCodec(json, written).withLegacy(Long.MAX_VALUE, written);
    }

    public JsonMapper json() {
        return json;
    }

    public FleetIdentity identity() {
        return identity;
    }

    /** The last journal row of format 1, 0 when none. */
    public long legacyEnd() {
        return legacyEnd;
    }

    public static String kind(Event e) {
        return e.getClass().getSimpleName();
    }

    public String encode(Event e) {
        String kind = kind(e);
        if (e instanceof Event.TenantCreated c) learn(c.name());
        changed(e);
        if (!REFERRING.contains(kind)) return json.writeValueAsString(e);
        ObjectNode o = json.valueToTree(e);
        rename(o, "pool", poolNames);
        rename(o, "node", nodeNames);
        rename(o, "tenant", tenantNames);
        int[] nodes = e instanceof Event.JobStarted s ? s.nodes() : e instanceof Event.ReservationMade r ? r.nodes() : null;
        if (nodes != null) {
            ArrayNode names = o.putArray("nodes");
            for (int n : nodes) names.add(nodeNames.get(n));
        }
        return json.writeValueAsString(o);
    }

    private static void rename(ObjectNode o, String field, List<String> names) {
        JsonNode v = o.get(field);
        if (v != null && v.isInt()) o.put(field, names.get(v.asInt()));
    }

    /**
     * The event of journal row {@code seq}, its references in this fleet's positions.
     *
     * @throws UnknownName if it names a node, model or tenant this fleet does not have
     */
    public Event decode(long seq, String kind, String body) {
        Class<? extends Event> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalStateException("journal row " + seq + " has kind '" + kind
                    + "', which this version of Nuri does not know. Maybe it was written by a newer version?");
        }
        if (!REFERRING.contains(kind)) return checkTenant(seq, kind, json.readValue(body, type));
        ObjectNode o = (ObjectNode) json.readTree(body);
        boolean positional = seq <= legacyEnd;
        index(seq, kind, o, "pool", lookup.model(), null);
        index(seq, kind, o, "node", lookup.node(), positional ? legacy.nodes() : null);
        index(seq, kind, o, "tenant", lookup.tenant(), positional ? legacy.tenants() : null);
        JsonNode nodes = o.get("nodes");
        if (nodes != null && nodes.isArray()) {
            ArrayNode ints = json.createArrayNode();
            for (JsonNode n : nodes) ints.add(position(seq, kind, o, "node", n, lookup.node(), positional ? legacy.nodes() : null));
            o.set("nodes", ints);
        }
        if (o.has("model")) o.put("pool", poolOfModel(seq, kind, o, positional));
        o.remove("model");
        checkOwners(seq, kind, o);
        return json.treeToValue(o, type);
    }

    /**
     * A start or a reservation holds nodes of one pool; a fleet file that since gave one of them another owner would put
     * the job's GPUs in one pool and its quota in another, and its replay would not be the history it records. Refused,
     * naming the node and the job.
     */
    private void checkOwners(long seq, String kind, ObjectNode o) {
        JsonNode nodes = o.get("nodes");
        JsonNode pool = o.get("pool");
        if (nodePool == null || nodes == null || !nodes.isArray() || pool == null || !pool.isInt()) return;
        for (JsonNode n : nodes) {
            int p = nodePool[n.asInt()];
            if (p != pool.asInt()) {
                String job = o.has("jobId") ? o.get("jobId").asString() : "?";
                throw new OwnerChanged("the fleet file puts node '" + nodeNames.get(n.asInt()) + "' in pool " + poolNames.get(p)
                        + ", but the journal has " + job + " on it in pool " + poolNames.get(pool.asInt()) + " (event " + seq + ", " + kind
                        + "). A block that has run jobs keeps its owner in the file; changing it while the journal goes on is not built yet");
            }
        }
    }

    /** A journal row places a job on a node whose owner the fleet file has changed since. */
    public static final class OwnerChanged extends RuntimeException {
        OwnerChanged(String message) {
            super(message);
        }
    }

    /** The pool a row written before pools means by its GPU model: the pool of that name, else its first node's. */
    private int poolOfModel(long seq, String kind, ObjectNode o, boolean positional) {
        JsonNode v = o.get("model");
        String name = positional ? legacy.models().get(v.asInt()) : v.asString();
        Integer p = lookup.model().get(name);
        if (p != null) return p;
        JsonNode tenant = o.get("tenant");
        if (tree != null && fleet != null && tenant != null && tenant.isInt()) {
            // A quota: on the pool of that model its tenant's line owns, as a quota named by model is read today.
            int q = new kr.nuri.core.tenancy.Pools(fleet, tree).find(tenant.asInt(), name);
            if (q >= 0) return q;
        }
        JsonNode nodes = o.get("nodes");
        if (nodePool != null && nodes != null && nodes.isArray() && !nodes.isEmpty()) return nodePool[nodes.get(0).asInt()];
        throw new UnknownName(seq, kind, "model", name + "' (written before pools; the fleet now has several pools of it: name one in"
                + " the file's quotas, e.g. " + name + "@OWNER", o.has("jobId") ? o.get("jobId").asString() : null);
    }

    private void index(long seq, String kind, ObjectNode o, String field, Map<String, Integer> names, List<String> legacyNames) {
        JsonNode v = o.get(field);
        if (v != null && !v.isNull()) o.put(field, position(seq, kind, o, field, v, names, legacyNames));
    }

    private static int position(long seq, String kind, ObjectNode o, String field, JsonNode v, Map<String, Integer> names,
                                List<String> legacyNames) {
        String name;
        if (legacyNames != null) {
            int i = v.asInt();
            if (i < 0 || i >= legacyNames.size()) {
                throw new IllegalStateException("journal row " + seq + " (" + kind + ", format 1) refers to " + field + " " + i
                        + ", but the fleet it was written on had " + legacyNames.size());
            }
            name = legacyNames.get(i);
        } else {
            name = v.asString();
        }
        Integer i = names.get(name);
        if (i == null) throw new UnknownName(seq, kind, field, name, o.has("jobId") ? o.get("jobId").asString() : null);
        return i;
    }

    /**
     * A tenant created at runtime takes the next position, as in the engine's tree; one the fleet file lists since keeps its
     * place (the engine does the same).
     */
    private synchronized void learn(String tenant) {
        if (lookup.tenant().containsKey(tenant)) return;
        lookup.tenant().put(tenant, tenantNames.size());
        tenantNames.add(tenant);
    }

    /** Events that name a tenant inside (a job's project, an award's tenant): the tenant must still be in the fleet file. */
    private Event checkTenant(long seq, String kind, Event e) {
        if (e instanceof Event.BlockAdded || e instanceof Event.BlockOwnerChanged) {
            changed(e);
            return e;
        }
        if (e instanceof Event.TenantCreated c) {
            if (!lookup.tenant().containsKey(c.parent())) throw new UnknownName(seq, kind, "tenant", c.parent(), null);
            learn(c.name());
            return e;
        }
        String tenant = switch (e) {
            case Event.JobSubmitted s -> s.spec().project();
            case Event.AwardGranted a -> a.award().tenant();
            case Event.TenantPolicySet p -> p.tenant();
            case Event.TenantRetired r -> r.tenant();
            default -> null;
        };
        if (tenant != null && !lookup.tenant().containsKey(tenant)) {
            throw new UnknownName(seq, kind, "tenant", tenant, e instanceof Event.JobSubmitted s ? s.spec().id() : null);
        }
        return e;
    }

    /** A journal row names a node, model or tenant the fleet file no longer has. */
    public static final class UnknownName extends RuntimeException {
        public final long seq;
        public final String field;
        public final String name;
        public final String jobId;

        UnknownName(long seq, String kind, String field, String name, String jobId) {
            super("journal row " + seq + " (" + kind + (jobId == null ? "" : " of " + jobId) + ") refers to " + field + " '" + name
                    + "', which the fleet file does not have");
            this.seq = seq;
            this.field = field;
            this.name = name;
            this.jobId = jobId;
        }
    }
}
