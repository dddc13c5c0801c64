package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A batch script's #SBATCH lines, read as sbatch reads them (issue 18): options Nuri has, the command line winning. */
class SbatchDirectivesTest {
    @TempDir
    Path dir;

    @Test
    void directivesAreReadUntilTheFirstCommandAndUnknownOnesAreSaid() {
        String script = """
                #!/bin/bash
                #SBATCH -A p1
                #SBATCH --job-name="train llm"   # a comment
                # a plain comment
                #SBATCH -N2 --gpus-per-node=8
                #SBATCH --mail-type=END
                #SBATCH -t 1:00:00

                srun python train.py
                #SBATCH -J never-read
                """;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new SubmitCommand());
        var words = SbatchDirectives.read(script, cl.getCommandSpec(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(words).containsExactly("-A", "p1", "--job-name=train llm", "-N2", "--gpus-per-node=8", "-t", "1:00:00");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 6: ignored #SBATCH --mail-type=END (Nuri has no such option)");
    }

    @Test
    void theCommandLineWinsOverTheScript() throws Exception {
        Path script = dir.resolve("job.sh");
        Files.writeString(script, "#!/bin/sh\n#SBATCH -A p1\n#SBATCH -J from-script\n#SBATCH -G 4\necho hi\n");
        SubmitCommand first = new SubmitCommand();
        CommandLine cl = new CommandLine(first);
        cl.parseArgs("-J", "from-command-line", script.toString());
        var words = SbatchDirectives.read(Files.readString(script), cl.getCommandSpec(), System.err);
        SubmitCommand again = SubmitCommand.withDirectives(words, cl.getParseResult().originalArgs());
        assertThat(again.project).isEqualTo("p1");
        assertThat(again.gpus).isEqualTo(4);
        assertThat(again.name).isEqualTo("from-command-line");
    }
}
