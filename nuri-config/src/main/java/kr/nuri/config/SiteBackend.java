package kr.nuri.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How one site executes the jobs Nuri starts there: through its Slurm's slurmrestd (openapi/v0.0.38). See
 * {@code FleetFile.Backend} for the fields. Exactly one of {@code jwtKey} and {@code tokenFile} is set; {@code priority}
 * 0 leaves the priority to Slurm.
 */
public record SiteBackend(String site, String url, String user, Path jwtKey, Path tokenFile, String partition,
                          Map<String, String> nodeMap, Duration poll, Duration grace, Duration unknownTimeout, long priority) {
    public SiteBackend {
        nodeMap = nodeMap == null ? Map.of() : Map.copyOf(nodeMap);
    }

    /** Slurm's name of a Nuri node. */
    public String slurmName(String nuriNode) {
        return nodeMap.getOrDefault(nuriNode, nuriNode);
    }
}
