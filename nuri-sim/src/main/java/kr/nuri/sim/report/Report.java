package kr.nuri.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment found, in the shapes it is written out in: a summary tree ({@code summary.json}), tables
 * (CSV files, and the terminal), charts ({@code report.html}). Maps keep insertion order, so the same run
 * writes the same bytes.
 */
public final class Report {
    private final String title;
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<Chart> charts = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String title) { this.title = title; }

    public String title() { return title; }

    public Map<String, Object> summary() { return summary; }

    public List<Table> tables() { return tables; }

    public List<Chart> charts() { return charts; }

    /** Lines printed above the tables and shown in the HTML report (what was run, on what). */
    public List<String> notes() { return notes; }

    public Report note(String line) {
        notes.add(line);
        return this;
    }

    public Report table(Table t) {
        tables.add(t);
        return this;
    }

    public Report chart(Chart c) {
        charts.add(c);
        return this;
    }

    /**
     * A table written as {@code file} (CSV; null = a summary table shown but not written); shown on the terminal
     * when {@code terminal}.
     */
    public record Table(String file, String title, List<String> header, List<List<Object>> rows, boolean terminal) {
        public Table {
            for (List<Object> r : rows) {
                if (r.size() != header.size()) throw new IllegalArgumentException("table " + file + ": a row has " + r.size()
                        + " cells for " + header.size() + " columns");
            }
        }
    }

    /** A line chart; {@code step} draws each series as a step function (CDFs, occupancy). */
    public record Chart(String title, String xLabel, String yLabel, List<Series> series, boolean step, boolean logX) { }

    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x for " + y.length + " y");
        }
    }
}
