package kr.nuri.server.api;

import kr.nuri.core.job.Job;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;

/**
 * Tenant isolation in one place: which tenants, jobs and awards a caller may see or act on. Operators and
 * programme managers see everything; tenant admins their subtree; users their own jobs in their subtree.
 * What a caller may not see answers 404, exactly as if it did not exist.
 */
final class Access {
    private final java.util.function.Supplier<TenantTree> trees;
    private final FleetVisibility visibility;

    /**
     * {@code trees}: the engine's tree as it is now; each tree is immutable (creating a tenant makes a new one), so any
     * thread may ask. {@code visibility}: what of the fleet tenants' members see.
     */
    Access(java.util.function.Supplier<TenantTree> trees, FleetVisibility visibility) {
        this.trees = trees;
        this.visibility = visibility;
    }

    private TenantTree tree() {
        return trees.get();
    }

    /** A tenant's index, or -1. */
    int tenant(String name) {
        return tree().index(name);
    }

    int scope(Principal p) {
        return p.readsAll() || p.tenant() == null ? -1 : tree().index(p.tenant());
    }

    boolean seesTenant(Principal p, int t) {
        if (p.readsAll()) return true;
        int scope = scope(p);
        return scope >= 0 && t >= 0 && tree().isWithin(t, scope);
    }

    /**
     * An award of tenant {@code awardTenant}: operators and programme managers see all; others those of their subtree
     * and those that cover it (an award to their organisation pays for their projects' jobs).
     */
    boolean seesAward(Principal p, int awardTenant) {
        if (p.readsAll()) return true;
        int scope = scope(p);
        return scope >= 0 && awardTenant >= 0 && (tree().isWithin(awardTenant, scope) || tree().isWithin(scope, awardTenant));
    }

    /**
     * Per-node detail of a node owned by {@code owner}: operators and programme managers see every node; others the
     * nodes their own organisation (or a tenant above or inside their scope) owns, unless the fleet is {@link
     * FleetVisibility#OPEN}. Other owners' hardware is theirs.
     */
    boolean seesNode(Principal p, String owner) {
        if (p.readsAll() || visibility == FleetVisibility.OPEN) return true;
        int scope = scope(p);
        int o = tree().index(owner == null ? "" : owner);
        return scope >= 0 && o >= 0 && (tree().isWithin(scope, o) || tree().isWithin(o, scope));
    }

    /**
     * A pool, aggregated: as its nodes, and under {@link FleetVisibility#USABLE} also a pool some project in the
     * caller's scope may run on (borrow from). No project in the scope may run there exactly when the scope lies outside
     * an isolated tenant at or above the owner, which is what {@link Pools#mayRun} asks of the scope itself (an isolated
     * tenant inside the scope holds the owner, whose nodes the caller then sees anyway).
     */
    boolean seesPool(Principal p, Pools pools, int pool, String owner) {
        if (seesNode(p, owner)) return true;
        int scope = scope(p);
        return visibility == FleetVisibility.USABLE && scope >= 0 && pools.mayRun(scope, pool);
    }

    boolean seesJob(Principal p, Job j) {
        if (p.readsAll()) return true;
        if (!seesTenant(p, j.project())) return false;
        return p.role() == Role.TENANT_ADMIN || p.user().equals(j.spec().user());
    }

    /** Cancel or report completion: operators, the job's tenant admins, and its owner. */
    boolean actsOnJob(Principal p, Job j) {
        return p.isOperator() || (p.role() != Role.PROGRAMME_MANAGER && seesJob(p, j));
    }

    boolean submitsTo(Principal p, int project) {
        return p.isOperator() || (p.role() != Role.PROGRAMME_MANAGER && seesTenant(p, project));
    }
}
