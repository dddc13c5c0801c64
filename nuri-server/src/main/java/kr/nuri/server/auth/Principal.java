package kr.nuri.server.auth;

/**
 * Who is calling: the token's user, role and, for tenant admins and users, the tenant whose subtree they
 * act in ({@code null} for operators and programme managers, who see the whole tree).
 */
public record Principal(String tokenId, String user, Role role, String tenant) {
    public boolean isOperator() { return role == Role.OPERATOR; }

    /** Operators and programme managers read everything. */
    public boolean readsAll() { return role == Role.OPERATOR || role == Role.PROGRAMME_MANAGER; }
}
