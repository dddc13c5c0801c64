package kr.nuri.server.auth;

import java.util.Locale;

/** What a token may do. */
public enum Role {
    /** Everything: fleet, nodes, tenants, awards, every job, tokens. */
    OPERATOR,
    /** Programmes: tenants, quotas and awards; reads everything. */
    PROGRAMME_MANAGER,
    /** One subtree of the tenant tree: its jobs, usage, members and their tokens. */
    TENANT_ADMIN,
    /** Submits, cancels and sees their own jobs; sees their projects' usage. */
    USER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equals(s) || r.name().equalsIgnoreCase(s)) return r;
        }
        return null;
    }
}
