package kr.nuri.sim.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/** Writes a {@link Report}: summary.json, one CSV per table, report.html (self-contained SVG charts), terminal text. */
public final class ReportWriter {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final CsvMapper CSV = CsvMapper.builder().build();

    private ReportWriter() { }

    /** Writes every file into {@code dir} (created if missing); returns the files written. */
    public static List<Path> write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, JSON.writeValueAsString(report.summary()) + "\n");
        written.add(summary);
        for (Report.Table t : report.tables()) {
            if (t.file() == null) continue;
            Path file = dir.resolve(t.file());
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            for (String h : t.header()) schema.addColumn(h);
            List<List<String>> rows = new ArrayList<>(t.rows().size());
            for (List<Object> r : t.rows()) rows.add(r.stream().map(ReportWriter::cell).toList());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                CSV.writerFor(List.class).with(schema.build()).writeValues(w).writeAll(rows);
            }
            written.add(file);
        }
        Path html = dir.resolve("report.html");
        Files.writeString(html, Html.render(report));
        written.add(html);
        return written;
    }

    /** Prints the notes and the terminal tables, columns aligned. */
    public static void print(Report report, PrintStream out) {
        for (String n : report.notes()) out.println(n);
        for (Report.Table t : report.tables()) {
            if (!t.terminal()) continue;
            out.println();
            out.println(t.title());
            int[] width = new int[t.header().size()];
            List<List<String>> cells = new ArrayList<>();
            cells.add(t.header());
            for (List<Object> r : t.rows()) cells.add(r.stream().map(ReportWriter::display).toList());
            for (List<String> r : cells) for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], r.get(i).length());
            for (List<String> r : cells) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    if (i > 0) line.append("  ");
                    String c = r.get(i);
                    boolean number = !c.isEmpty() && (Character.isDigit(c.charAt(c.length() - 1)) || c.endsWith("%") || c.endsWith("h"));
                    line.append(i > 0 && number ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    /** A CSV cell: numbers in full (round-trippable), text as is. */
    static String cell(Object o) {
        if (o == null) return "";
        if (o instanceof Double d) return d.isNaN() ? "" : Double.toString(d);
        return o.toString();
    }

    /** A terminal cell: doubles with 2 decimals. */
    static String display(Object o) {
        if (o == null) return "-";
        if (o instanceof Double d) return d.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", d);
        return o.toString();
    }
}
