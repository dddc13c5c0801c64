package kr.nuri.config;

import kr.nuri.core.config.EngineConfig;

/** A loaded and validated configuration: the engine's config plus where it came from. */
public record NuriConfig(String source, String description, EngineConfig engine) {}
