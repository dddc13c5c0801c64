package kr.nuri.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A batch script's {@code #SBATCH} lines, read as sbatch reads them: from the top, until the first line that is neither
 * blank nor a comment; each line's words are options. A line whose option Nuri does not have is left out, and said so.
 */
final class SbatchDirectives {
    private SbatchDirectives() {}

    static List<String> read(String script, CommandSpec spec, PrintStream warnings) {
        List<String> out = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        for (int i = 1; i < lines.length; i++) { // line 0 is #!
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            if (!line.startsWith("#")) break;
            if (!line.startsWith("#SBATCH")) continue;
            String rest = line.substring("#SBATCH".length());
            int hash = rest.indexOf(" #");
            if (hash >= 0) rest = rest.substring(0, hash); // a comment after the options
            List<String> words = words(rest.strip());
            if (words.isEmpty()) continue;
            String first = words.getFirst();
            String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            if (spec.findOption(option) == null && option.matches("-[A-Za-z].+")) option = option.substring(0, 2); // -N2
            if (!option.startsWith("-") || spec.findOption(option) == null) {
                warnings.println("nuri submit: line " + (i + 1) + ": ignored #SBATCH " + kr.nuri.cli.client.Text.printable(first)
                        + " (Nuri has no such option)");
                continue;
            }
            out.addAll(words);
        }
        return out;
    }

    /** Words as a shell splits them: on blanks, with '…' and "…" quoting. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !w.isEmpty()) out.add(w.toString());
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || !w.isEmpty()) out.add(w.toString());
        return out;
    }
}
