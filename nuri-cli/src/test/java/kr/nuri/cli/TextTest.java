package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kr.nuri.cli.client.Table;
import kr.nuri.cli.client.Text;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void nothingATerminalWouldObeyIsPrinted() {
        // Found by trying the product: a job id with ESC sequences cleared the operator's screen in 'nuri queue'.
        assertThat(Text.printable("job\u001b[2J\u001b[31mowned")).isEqualTo("job\\u001B[2J\\u001B[31mowned");
        assertThat(Text.printable("a\u0000b\u202Ec\u0085d")).isEqualTo("a\\u0000b\\u202Ec\\u0085d");
        assertThat(Text.printable("훈련 run #1")).as("printable text of any script is kept").isEqualTo("훈련 run #1");
        Table t = new Table("JOBID", "NAME");
        t.row("job-1", "x\u001b]0;title\u0007");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\u001b", "\u0007").contains("x\\u001B]0;title\\u0007");
    }
}
