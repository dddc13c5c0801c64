package kr.nuri.cli;

import kr.nuri.config.FleetConfigReader;
import kr.nuri.config.NuriConfig;
import picocli.CommandLine.Option;

/** {@code --fleet}: a fleet YAML file or a built-in fleet name, shared by every command that builds an engine. */
final class FleetOption {
    @Option(names = "--fleet", defaultValue = FleetConfigReader.DEFAULT_FLEET, paramLabel = "FILE|NAME",
            description = "A fleet YAML file or a built-in fleet name (default: ${DEFAULT-VALUE}).")
    String fleet;

    NuriConfig load() {
        return FleetConfigReader.load(fleet);
    }
}
