package kr.nuri.core.fleet;

/**
 * Topology levels, innermost first. A gang that asks for a level must lie inside one domain of that level:
 * one node, one rack (for NVL72-style racks this is the NVLink domain), one InfiniBand block, one site,
 * or anywhere in the fleet.
 */
public enum Level {
    NODE, RACK, BLOCK, SITE, FLEET;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
