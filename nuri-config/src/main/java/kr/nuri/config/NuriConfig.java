package kr.nuri.config;

import java.util.Map;
import kr.nuri.core.config.EngineConfig;

/**
 * A loaded and validated configuration: the engine's config, where it came from, and each site's execution backend
 * (sites not named run virtually).
 */
public record NuriConfig(String source, String description, EngineConfig engine, Map<String, SiteBackend> backends) {
    public NuriConfig {
        backends = backends == null ? Map.of() : Map.copyOf(backends);
    }

    public NuriConfig(String source, String description, EngineConfig engine) {
        this(source, description, engine, Map.of());
    }
}
