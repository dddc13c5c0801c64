package kr.nuri.core.engine;

import java.util.regex.Pattern;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Rejection.Code;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetChange;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.State;

/** The rules of acting on the fleet at runtime: a node's health and retirement, a block added, a block's owner. */
final class FleetRules {
    /** What a site, block or model may be called: it appears in node names, URLs and pool names ({@code B200@naicc}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private final State state;

    FleetRules(State state) {
        this.state = state;
    }

    /**
     * A block added: names of letters, digits, '.', '_' and '-'; a block name the fleet does not use, nor any of its nodes'
     * names; an owner that is a tenant (or none); 1 to 64 racks, nodes per rack and GPUs per node; and a fleet whose
     * quotas still each name one pool once it is there.
     */
    Rejection add(Command.AddBlock c) {
        Fleet f = state.fleet();
        for (String[] field : new String[][] {{"site", c.site()}, {"block", c.block()}, {"model", c.model()}}) {
            if (field[1] == null || !NAME.matcher(field[1]).matches()) {
                return Rejection.of(Code.INVALID_VALUE, field[0], field[1], "a " + field[0] + "'s name has 1 to 64 letters, digits, '.', '_' or '-',"
                        + " and starts with a letter or digit");
            }
        }
        if (f.blockIndex(c.block()) >= 0) return Rejection.of(Code.INVALID_VALUE, "block", c.block(), "block '" + c.block() + "' exists already");
        Rejection r = owner(c.owner());
        if (r != null) return r;
        for (String[] field : new String[][] {{"racks", "" + c.racks()}, {"nodesPerRack", "" + c.nodesPerRack()}, {"gpusPerNode", "" + c.gpusPerNode()}}) {
            int v = Integer.parseInt(field[1]);
            if (v < 1 || v > 64) return Rejection.of(Code.INVALID_VALUE, field[0], v, field[0] + " must be 1 to 64");
        }
        for (int k = 1; k <= c.racks(); k++) {
            for (int j = 1; j <= c.nodesPerRack(); j++) {
                String node = c.block() + "-r" + k + "-n" + j;
                if (f.nodeIndex(node) >= 0) return Rejection.of(Code.INVALID_VALUE, "block", c.block(), "its node '" + node + "' exists already");
            }
        }
        return fits(FleetChange.added(c.site(), c.block(), c.model(), c.owner(), c.racks(), c.nodesPerRack(), c.gpusPerNode()), "block", c.block());
    }

    /**
     * A block given to another owner: one that runs no job and holds no reservation (drain it first, so that its jobs end
     * on their own), whose present pool still honours what it guarantees without the block's GPUs.
     */
    Rejection owner(Command.SetBlockOwner c) {
        Fleet f = state.fleet();
        int b = c.block() == null ? -1 : f.blockIndex(c.block());
        if (b < 0) return Rejection.of(Code.INVALID_VALUE, "block", c.block(), "no block '" + c.block() + "'. Maybe check 'nuri fleet'?");
        Rejection r = owner(c.owner());
        if (r != null) return r;
        for (int n = f.firstNodeOfBlock(b); n < f.endNodeOfBlock(b); n++) {
            if (!state.running().onNode(n).isEmpty()) {
                Job j = state.running().onNode(n).get(0);
                return Rejection.of(Code.INVALID_VALUE, "block", c.block(), "job " + j.id() + " runs on " + f.nodeName(n) + ", in pool " + f.poolName(j.pool())
                        + ": drain the block (nuri nodes drain) and let its jobs end before it changes owner");
            }
            if (state.capacity().reserved(n)) {
                return Rejection.of(Code.INVALID_VALUE, "block", c.block(), "node " + f.nodeName(n) + " is reserved for a waiting job: drain the block first");
            }
        }
        long gpus = 0;
        for (int n = f.firstNodeOfBlock(b); n < f.endNodeOfBlock(b); n++) {
            if (state.capacity().health(n) != Health.RETIRED) gpus += f.nodeGpus(n);
        }
        String shortBy = state.pools().shortWithout(f.poolOfBlock(b), gpus, state.quota(), state.awards().specs(), state.now(), "block " + c.block());
        if (shortBy != null) return Rejection.of(Code.INVALID_VALUE, "block", c.block(), shortBy);
        return fits(FleetChange.owner(c.block(), c.owner()), "owner", c.owner());
    }

    private Rejection node(String node) {
        Fleet f = state.fleet();
        return f.nodeIndex(node == null ? "" : node) < 0 ? Rejection.of(Code.UNKNOWN_NODE, "node", node,
                "fleet '" + f.name() + "' has no node '" + node + "'. Maybe check 'nuri nodes'?") : null;
    }

    /** A node that is not retired (a retired node stays so). */
    Rejection live(String node) {
        Rejection r = node(node);
        if (r != null) return r;
        return state.capacity().health(state.fleet().nodeIndex(node)) == Health.RETIRED ? Rejection.of(Code.INVALID_VALUE, "node", node,
                "node " + node + " is retired: it takes no work again. Maybe add it anew under another name?") : null;
    }

    /** A drain: of a node not retired, with a reason of at most 200 printable characters (or none). */
    Rejection drain(Command.DrainNode c) {
        Rejection r = live(c.node());
        if (r != null) return r;
        return c.reason() != null && (c.reason().length() > 200 || !c.reason().codePoints().allMatch(kr.nuri.core.util.Printable::isPrintable))
                ? Rejection.of(Code.INVALID_VALUE, "reason", c.reason(), "a reason is at most 200 printable characters") : null;
    }

    /**
     * Retiring a node: drained (or down) first, so that its jobs end on their own; it holds no job and no reservation; and
     * its pool still honours what it guarantees without the node's GPUs.
     */
    Rejection retire(String name) {
        Rejection r = live(name);
        if (r != null) return r;
        Fleet f = state.fleet();
        int n = f.nodeIndex(name);
        if (state.capacity().health(n) == Health.UP) {
            return Rejection.of(Code.INVALID_VALUE, "node", name, "node " + name + " is up: drain it first (nuri nodes drain), so that its"
                    + " jobs end on their own, then retire it");
        }
        var on = state.running().onNode(n);
        if (!on.isEmpty()) {
            return Rejection.of(Code.INVALID_VALUE, "node", name, "node " + name + " still runs " + on.size() + " job(s), " + on.iterator().next().id()
                    + " first: retire it once they have ended (or cancel them)");
        }
        String shortBy = state.pools().shortWithout(f.poolOfNode(n), f.nodeGpus(n), state.quota(), state.awards().specs(), state.now(), name);
        return shortBy == null ? null : Rejection.of(Code.INVALID_VALUE, "node", name, shortBy);
    }

    private Rejection owner(String owner) {
        if (owner == null || owner.isBlank() || state.tenants().index(owner) >= 0) return null;
        return Rejection.of(Code.UNKNOWN_TENANT, "owner", owner, "no tenant '" + owner + "' to own it. Maybe check 'nuri tenants'?");
    }

    /** The engine's config with the change: every quota and dedicated award must still name one pool. */
    private Rejection fits(FleetChange change, String field, String value) {
        try {
            state.config().withFleetChange(change);
            return null;
        } catch (IllegalArgumentException e) {
            return Rejection.of(Code.INVALID_VALUE, field, value, "with this change " + e.getMessage());
        }
    }
}
