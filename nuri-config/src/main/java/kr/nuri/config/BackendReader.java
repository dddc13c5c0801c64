package kr.nuri.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import kr.nuri.config.yaml.FleetFile;
import kr.nuri.core.fleet.Fleet;

/** Reads each site's {@code backend} of a fleet file, naming the field and the value of every error. */
final class BackendReader {
    /** Slurm's highest job priority below its reserved values (NO_VAL, INFINITE). */
    static final long MAX_PRIORITY = 4_294_967_293L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private BackendReader() {}

    /** The Slurm backends by site; sites without one, or with {@code type: virtual}, are absent (virtual). */
    static Map<String, SiteBackend> read(String file, List<FleetFile.Site> sites, Fleet fleet) {
        Map<String, SiteBackend> out = new HashMap<>();
        for (int s = 0; s < sites.size(); s++) {
            FleetFile.Backend b = sites.get(s).backend();
            if (b == null) continue;
            String p = "sites[" + s + "].backend";
            String type = b.type() == null ? "virtual" : b.type();
            switch (type) {
                case "virtual" -> {
                    if (b.url() != null) throw new ConfigException(file, p + ".url", b.url(), "is for type slurm; a virtual site has no URL");
                }
                case "slurm" -> out.put(sites.get(s).name(), slurm(file, p, sites.get(s).name(), b, fleet));
                default -> throw new ConfigException(file, p + ".type", type, "is not a backend. Maybe virtual (the default) or slurm?");
            }
        }
        return out;
    }

    private static SiteBackend slurm(String file, String p, String site, FleetFile.Backend b, Fleet fleet) {
        if (b.url() == null) throw new ConfigException(file, p + ".url", null, "is required: slurmrestd's address, e.g. http://slurm-head:6820");
        URI url;
        try {
            url = URI.create(b.url());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, p + ".url", b.url(), "is not a URL: " + e.getMessage());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException(file, p + ".url", b.url(), "must be an http:// or https:// address with a host");
        }
        if ((b.jwtKey() == null) == (b.tokenFile() == null)) {
            throw new ConfigException(file, p + ".jwtKey", b.jwtKey(), "give exactly one of jwtKey (slurm.conf's jwt_key file, to mint "
                    + "tokens) and tokenFile (a file holding a token, e.g. from scontrol token, kept fresh by someone else)");
        }
        String user = b.user() == null ? "root" : b.user();
        if (!NAME.matcher(user).matches()) throw new ConfigException(file, p + ".user", user, "is not a user name");
        String partition = b.partition() == null ? "nuri" : b.partition();
        if (!NAME.matcher(partition).matches()) throw new ConfigException(file, p + ".partition", partition, "is not a partition name");
        Map<String, String> map = b.nodeMap() == null ? Map.of() : b.nodeMap();
        for (Map.Entry<String, String> e : map.entrySet()) {
            int n = fleet.nodeIndex(e.getKey());
            if (n < 0 || !fleet.siteName(fleet.siteOfNode(n)).equals(site)) {
                throw new ConfigException(file, p + ".nodeMap", e.getKey(), "is not a node of site " + site);
            }
            if (e.getValue() == null || !NAME.matcher(e.getValue()).matches()) {
                throw new ConfigException(file, p + ".nodeMap." + e.getKey(), e.getValue(), "is not a Slurm node name");
            }
        }
        long priority = b.priority() == null ? 0 : b.priority();
        if (b.priority() != null && (priority < 1 || priority > MAX_PRIORITY)) {
            throw new ConfigException(file, p + ".priority", b.priority(), "must be 1 to " + MAX_PRIORITY + " (0 would hold every job)");
        }
        return new SiteBackend(site, b.url().replaceAll("/+$", ""), user, b.jwtKey() == null ? null : Path.of(b.jwtKey()),
                b.tokenFile() == null ? null : Path.of(b.tokenFile()), partition, map,
                seconds(file, p + ".pollSeconds", b.pollSeconds(), 2, 0.1, 300),
                seconds(file, p + ".graceSeconds", b.graceSeconds(), 10, 0, 3600),
                seconds(file, p + ".unknownTimeoutSeconds", b.unknownTimeoutSeconds(), 600, 1, 7 * 86400), priority);
    }

    private static Duration seconds(String file, String field, Double v, double dflt, double min, double max) {
        double s = v == null ? dflt : v;
        if (!(s >= min && s <= max)) throw new ConfigException(file, field, v, "must be " + min + " to " + max + " seconds");
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
