package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SubmitCommandTest {
    @Test
    void memoryTakesSlurmsSizes() {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit); // injects the command spec
        assertThat(submit.mebibytes("512")).isEqualTo(512);
        assertThat(submit.mebibytes("512M")).isEqualTo(512);
        assertThat(submit.mebibytes("64g")).isEqualTo(65_536);
        assertThat(submit.mebibytes("1T")).isEqualTo(1_048_576);
        assertThat(submit.mebibytes("100K")).as("rounded up to whole MiB").isEqualTo(1);
        assertThatThrownBy(() -> submit.mebibytes("lots")).hasMessageContaining("--mem lots");
        assertThatThrownBy(() -> submit.mebibytes("-4G")).hasMessageContaining("--mem -4G");
        assertThatThrownBy(() -> submit.mebibytes("99999999999999T")).as("too large, not wrapped around").hasMessageContaining("--mem 99999999999999T");
    }
}
