package kr.nuri.sim.trace;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Reads a CSV file with a header row, one {@link Row} at a time, with typed accessors whose errors name the
 * file, line, column and value. Rows are split by Jackson's CSV parser (quotes and all).
 */
public final class CsvRows {
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    private CsvRows() { }

    /** Calls {@code each} for every data row; {@code required} columns must be in the header. */
    public static void read(Path file, List<String> required, Consumer<Row> each) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such trace file"));
        }
        long line = 0;
        try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(file)) {
            if (!it.hasNextValue()) throw new TraceException(file, 1, null, null, "the file is empty; expected a header row");
            String[] header = it.nextValue();
            line = 1;
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.length; i++) columns.put(header[i].strip(), i);
            for (String c : required) {
                if (!columns.containsKey(c)) {
                    throw new TraceException(file, 1, c, null, "the header has no column '" + c + "' (it has "
                            + Arrays.toString(header) + ")");
                }
            }
            Row row = new Row(file, columns);
            while (it.hasNextValue()) {
                String[] cells = it.nextValue();
                line++;
                if (cells.length == 1 && cells[0].isBlank()) continue;
                row.set(line, cells);
                each.accept(row);
            }
        } catch (JacksonException e) {
            throw new TraceException(file, line + 1, null, null, "not CSV: " + e.getOriginalMessage());
        }
    }

    /** Reads every row into a list through {@code map}. */
    public static <T> List<T> list(Path file, List<String> required, java.util.function.Function<Row, T> map) {
        List<T> out = new ArrayList<>();
        read(file, required, r -> out.add(map.apply(r)));
        return out;
    }

    /** One data row; valid only during the callback. */
    public static final class Row {
        private final Path file;
        private final Map<String, Integer> columns;
        private long line;
        private String[] cells;

        Row(Path file, Map<String, Integer> columns) {
            this.file = file;
            this.columns = columns;
        }

        void set(long line, String[] cells) {
            this.line = line;
            this.cells = cells;
        }

        public long line() { return line; }

        public Path file() { return file; }

        public boolean has(String column) { return columns.containsKey(column); }

        /** The cell, stripped; "" when the column is missing from this row or from the header. */
        public String string(String column) {
            Integer i = columns.get(column);
            return i == null || i >= cells.length ? "" : cells[i].strip();
        }

        public long longValue(String column, long min, long max) {
            String v = string(column);
            long x;
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                // Whole numbers written as decimals ("66.0") are whole numbers.
                double d = parseDouble(column, v);
                if (d != Math.rint(d)) throw fail(column, v, "expected a whole number");
                x = (long) d;
            }
            if (x < min || x > max) throw fail(column, v, "expected a number from " + min + " to " + max);
            return x;
        }

        public int intValue(String column, int min, int max) {
            return (int) longValue(column, min, max);
        }

        public double doubleValue(String column, double min, double max) {
            String v = string(column);
            double d = parseDouble(column, v);
            if (!(d >= min && d <= max)) throw fail(column, v, "expected a number from " + min + " to " + max);
            return d;
        }

        private double parseDouble(String column, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw fail(column, v, v.isEmpty() ? "expected a number, the cell is empty" : "expected a number");
            }
        }

        public TraceException fail(String column, String value, String problem) {
            return new TraceException(file, line, column, value, problem);
        }
    }

}
