package kr.nuri.core.fleet;

/**
 * Topology levels, innermost first. A gang that asks for a level must lie inside one domain of that level:
 * one node, one rack (for NVL72-style racks this is the NVLink domain), one InfiniBand block, one site,
 * or anywhere in the fleet.
 */
public enum Level {
    NODE, RACK, BLOCK, SITE, FLEET;

    /** Parses a level name case-insensitively; "nvlink" and "domain" are accepted for {@link #RACK}. */
    public static Level parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "NVLINK", "DOMAIN", "NVLINK-DOMAIN" -> RACK;
            case "ANY" -> FLEET;
            default -> {
                for (Level l : values()) {
                    if (l.name().equals(t)) yield l;
                }
                throw new IllegalArgumentException("unknown topology level '" + text
                        + "'. Maybe one of node, rack (nvlink), block, site, fleet (any)?");
            }
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
