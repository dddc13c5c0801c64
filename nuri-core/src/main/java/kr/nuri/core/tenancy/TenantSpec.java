package kr.nuri.core.tenancy;

import java.util.List;

/**
 * One node of the quota tree (nation → sector → organisation → project, any depth). Jobs run in leaves
 * (projects). {@code parent} is null for the root.
 *
 * @param weight fair-share weight among its siblings
 * @param policy what its jobs may ask for (inherited down the tree); {@link TenantPolicy#INHERIT} when it sets nothing
 * @param isolated whether its subtree lends nothing outside itself: no job from outside runs on the pools it owns
 */
public record TenantSpec(String name, String parent, double weight, List<QuotaSpec> quotas, TenantPolicy policy, boolean isolated) {
    public TenantSpec(String name, String parent, double weight, List<QuotaSpec> quotas) {
        this(name, parent, weight, quotas, TenantPolicy.INHERIT, false);
    }

    public TenantSpec(String name, String parent, double weight, List<QuotaSpec> quotas, TenantPolicy policy) {
        this(name, parent, weight, quotas, policy, false);
    }

    public TenantSpec {
        policy = policy == null ? TenantPolicy.INHERIT : policy;
        if (name == null || name.isBlank()) throw new IllegalArgumentException("tenant name is empty");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("tenant '" + name + "' weight=" + weight + ". Maybe a positive number such as 1?");
        }
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
    }
}
