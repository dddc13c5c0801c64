package kr.nuri.server.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * What of the fleet a tenant's members (users and tenant admins) see; operators and programme managers always see all.
 * Per-node detail (a node's jobs, allocation, drain reason, its events) tells how another owner runs its hardware,
 * so outside {@link #OPEN} it is shown only to the owner's line; pools are aggregates (GPUs, guaranteed, used, lent,
 * free).
 */
public enum FleetVisibility {
    /** Nodes and pools of the caller's own organisation (its line: the owner is above or inside the caller's scope). */
    OWNER,
    /** Nodes of the caller's own organisation; the pools its projects may run on, own or borrowable, aggregated. The default. */
    USABLE,
    /** Every node and pool: one owner, or owners who agreed to show each other everything. */
    OPEN;

    public static final FleetVisibility DEFAULT = USABLE;

    /** The value of {@code name}, any case; refused naming the field, the value and the known values. */
    public static FleetVisibility parse(String field, String name) {
        for (FleetVisibility v : values()) if (v.name().equalsIgnoreCase(name == null ? "" : name.trim())) return v;
        throw new IllegalArgumentException(field + " '" + name + "' is not one of "
                + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }
}
