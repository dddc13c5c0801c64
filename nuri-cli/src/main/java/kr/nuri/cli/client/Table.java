package kr.nuri.cli.client;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain column-aligned table, the way squeue and sinfo print. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public void row(Object... cells) {
        String[] r = new String[cells.length];
        // Cells come from the server and, through it, from other users: never let one steer the terminal.
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "-" : Text.printable(String.valueOf(cells[i]));
        rows.add(r);
    }

    public void print(PrintStream out) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) sb.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
