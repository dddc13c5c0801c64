package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantsCommandTest {
    @Test
    void classesReadAsClassEqualsHours() {
        assertThat(TenantsCommand.parseClasses("training=24,scavenger")).isEqualTo(Map.of("training", 24.0, "scavenger", 0.0));
        assertThat(TenantsCommand.parseClasses(" training = 1.5 ")).isEqualTo(Map.of("training", 1.5));
        assertThat(TenantsCommand.parseClasses("inherit")).as("the parent's").isNull();
        assertThatThrownBy(() -> TenantsCommand.parseClasses("training=long")).hasMessageContaining("training=long");
        assertThatThrownBy(() -> TenantsCommand.parseClasses("=3")).hasMessageContaining("empty class name");
    }
}
