package kr.nuri.core.state;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;

/**
 * Why a node is drained, down or retired, as the operator said it (or "failed"). State that snapshots keep, but not part
 * of the state hash: it decides nothing.
 */
final class NodeReasons {
    private final Fleet fleet;
    private final Map<Integer, String> byNode = new HashMap<>();

    NodeReasons(Fleet fleet) {
        this.fleet = fleet;
    }

    /** A node's health changed: up clears its reason; else a reason given replaces it. */
    void set(int node, Health health, String reason) {
        if (health == Health.UP) byNode.remove(node);
        else if (reason != null) byNode.put(node, reason);
    }

    String of(int node) {
        return byNode.get(node);
    }

    /** By node name, for snapshots. */
    Map<String, String> byName() {
        Map<String, String> out = new TreeMap<>();
        byNode.forEach((n, r) -> out.put(fleet.nodeName(n), r));
        return out;
    }

    /** What a snapshot kept (null: none, as in snapshots of builds before reasons). */
    void restore(Map<String, String> byName) {
        if (byName == null) return;
        byName.forEach((name, r) -> {
            int n = fleet.nodeIndex(name);
            if (n >= 0) byNode.put(n, r);
        });
    }
}
