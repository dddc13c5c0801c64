package kr.nuri.server.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.util.Hashing;

/**
 * The names behind the engine's indexes: pools (owner × GPU model; kind MODEL, as GPU models were named before pools,
 * and a pool of a fleet without owners has its model's name), nodes and tenants, in the order the fleet file gave them. The
 * journal (format 2) and the stable state hash refer to these names, never to positions, so a reordered file changes
 * nothing; journals of format 1 stored positions, and are read through the identity they were written with.
 *
 * <p>{@link #setHash()} ignores order (what the file holds); {@link #orderHash()} does not (where each name stands):
 * a snapshot, which stores positions, is usable only under the same order.
 */
public record FleetIdentity(List<String> models, List<String> nodes, List<String> tenants) {
    public static FleetIdentity of(EngineConfig config) {
        Fleet f = config.fleet();
        String[] nodes = new String[f.nodeCount()];
        for (int n = 0; n < nodes.length; n++) nodes[n] = f.nodeName(n);
        kr.nuri.core.tenancy.TenantTree tree = new kr.nuri.core.tenancy.TenantTree(config.tenants()); // the engine's order
        String[] tenants = new String[tree.size()];
        for (int t = 0; t < tenants.length; t++) tenants[t] = tree.name(t);
        return new FleetIdentity(f.pools().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(), List.of(nodes), List.of(tenants));
    }

    /** Which kinds of name there are, as stored. */
    public enum Kind {
        MODEL, NODE, TENANT;

        String stored() { return name().toLowerCase(Locale.ROOT); }
    }

    public List<String> names(Kind kind) {
        return switch (kind) {
            case MODEL -> models;
            case NODE -> nodes;
            case TENANT -> tenants;
        };
    }

    /** What the fleet holds, whatever the order. */
    public long setHash() {
        long h = 0;
        for (Kind k : Kind.values()) {
            long sum = 0;
            for (String name : names(k)) sum += Hashing.mix(k.ordinal() + 1, name);
            h = Hashing.mix(h, Hashing.mix(sum, names(k).size()));
        }
        return h;
    }

    /** What the fleet holds and where each name stands. */
    public long orderHash() {
        long h = 0;
        for (Kind k : Kind.values()) {
            for (String name : names(k)) h = Hashing.mix(h, name);
            h = Hashing.mix(h, names(k).size());
        }
        return h;
    }

    /** Index of each name, by kind: for reading names back into this fleet's positions. */
    Lookup lookup() {
        return new Lookup(index(models), index(nodes), index(tenants));
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), i);
        return m;
    }

    record Lookup(Map<String, Integer> model, Map<String, Integer> node, Map<String, Integer> tenant) {}

    /** The names the other identity has and this one lacks, of one kind, in the other's order. */
    public List<String> missing(FleetIdentity other, Kind kind) {
        var mine = new java.util.HashSet<>(names(kind));
        return other.names(kind).stream().filter(n -> !mine.contains(n)).toList();
    }

    @Override
    public String toString() {
        return models.size() + " models, " + nodes.size() + " nodes, " + tenants.size() + " tenants";
    }

    /** For tests: whether two identities list the same names in the same order. */
    public boolean sameOrder(FleetIdentity o) {
        return models.equals(o.models) && nodes.equals(o.nodes) && tenants.equals(o.tenants);
    }
}
