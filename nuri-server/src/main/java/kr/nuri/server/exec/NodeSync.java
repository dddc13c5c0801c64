package kr.nuri.server.exec;

import kr.nuri.core.command.Command;
import kr.nuri.core.fleet.Health;
import kr.nuri.server.loop.Session;

/**
 * A node as its site's Slurm sees it, made so in Nuri: Slurm's DOWN is a failure (its jobs end, and are requeued per their
 * policy), Slurm's DRAIN a drain with Slurm's reason ({@code slurm: …}); back up in Slurm, a node Nuri had down, or drained
 * for Slurm's reason, comes back. An operator's drain in Nuri and a retired node are left alone.
 */
final class NodeSync {
    static final String PREFIX = "slurm: ";

    private NodeSync() {}

    static void apply(Session session, String name, int node, SlurmClient.SlurmNode slurm) {
        var state = session.engine().state();
        Health h = state.capacity().health(node);
        if (h == Health.RETIRED) return;
        String reason = state.reason(node);
        if (slurm.down()) {
            if (h != Health.DOWN) session.apply(t -> new Command.NodeDown(t, name));
        } else if (slurm.drained()) {
            if (h == Health.UP) {
                String why = PREFIX + (slurm.reason().isBlank() ? "drained" : clip(slurm.reason()));
                session.apply(t -> new Command.DrainNode(t, name, why));
            }
        } else if (h == Health.DOWN || h == Health.DRAIN && reason != null && reason.startsWith(PREFIX)) {
            session.apply(t -> new Command.NodeUp(t, name));
        }
    }

    /** At most 200 printable characters of what a site says. */
    static String clip(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }
}
