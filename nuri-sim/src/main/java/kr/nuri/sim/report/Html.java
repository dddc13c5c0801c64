package kr.nuri.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * report.html: the notes, every chart as inline SVG and every table, in one file with no script and no
 * network access, so it opens offline and prints.
 */
final class Html {
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 960;
    private static final int H = 440;
    /** Tables longer than this are linked (their CSV), not inlined. */
    static final int INLINE_ROWS = 50;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 28;
    private static final int BOTTOM = 48;

    private Html() { }

    static String render(Report r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(r.title()))
                .append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
                        + "h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
                        + "td:first-child,th:first-child{text-align:left}svg{display:block;margin:8px 0}"
                        + ".note{color:#444;margin:2px 0}</style></head><body>\n<h1>").append(esc(r.title())).append("</h1>\n");
        for (String n : r.notes()) b.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        for (Report.Chart c : r.charts()) chart(b, c);
        for (Report.Table t : r.tables()) {
            b.append("<h2>").append(esc(t.title()));
            if (t.file() != null) b.append(" <small>(").append(esc(t.file())).append(")</small>");
            b.append("</h2>\n");
            if (t.file() != null && t.rows().size() > INLINE_ROWS) {
                b.append("<p class=\"note\">").append(String.format(Locale.ROOT, "%,d", t.rows().size())).append(" rows: <a href=\"")
                        .append(esc(t.file())).append("\">").append(esc(t.file())).append("</a></p>\n");
                continue;
            }
            b.append("<table><tr>");
            for (String h : t.header()) b.append("<th>").append(esc(h)).append("</th>");
            b.append("</tr>\n");
            for (List<Object> row : t.rows()) {
                b.append("<tr>");
                for (Object o : row) b.append("<td>").append(esc(ReportWriter.display(o))).append("</td>");
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static void chart(StringBuilder b, Report.Chart c) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = 0, y1 = Double.NEGATIVE_INFINITY;
        for (Report.Series s : c.series()) {
            for (int i = 0; i < s.x().length; i++) {
                double x = c.logX() ? Math.log10(Math.max(s.x()[i], 1e-9)) : s.x()[i];
                if (!Double.isFinite(x) || !Double.isFinite(s.y()[i])) continue;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, s.y()[i]);
                y1 = Math.max(y1, s.y()[i]);
            }
        }
        b.append("<h2>").append(esc(c.title())).append("</h2>\n");
        if (!(x1 > x0)) {
            b.append("<p class=\"note\">(no data)</p>\n");
            return;
        }
        if (!(y1 > y0)) y1 = y0 + 1;
        double yStep = step(y1 - y0);
        y0 = Math.floor(y0 / yStep) * yStep;
        y1 = Math.ceil(y1 / yStep) * yStep;
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-size=\"12\" role=\"img\" aria-label=\"%s\">\n", W, H, W, H, esc(c.title())));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", LEFT, TOP, pw, ph));
        for (double yv : ticks(y0, y1, yStep)) {
            double py = TOP + ph - ph * (yv - y0) / (y1 - y0);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT, LEFT + pw, py, py, LEFT - 4, py + 4, label(yv, yStep)));
        }
        for (double xv : c.logX() ? logTicks(x0, x1) : ticks(x0, x1, step(x1 - x0))) {
            double px = LEFT + pw * (xv - x0) / (x1 - x0);
            double value = c.logX() ? Math.pow(10, xv) : xv;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", px, px, TOP + ph, TOP + ph + 4, px, TOP + ph + 18,
                    label(value, c.logX() ? value : step(x1 - x0))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + pw / 2, H - 8, esc(c.xLabel())));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                TOP + ph / 2, esc(c.yLabel())));
        int k = 0;
        for (Report.Series s : c.series()) {
            String color = PALETTE[k % PALETTE.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double xv = c.logX() ? Math.log10(Math.max(s.x()[i], 1e-9)) : s.x()[i];
                if (!Double.isFinite(xv) || !Double.isFinite(s.y()[i])) continue;
                double px = LEFT + pw * (xv - x0) / (x1 - x0);
                double py = TOP + ph - ph * (s.y()[i] - y0) / (y1 - y0);
                if (path.isEmpty()) {
                    path.append(String.format(Locale.ROOT, "M%.1f %.1f", px, py));
                } else {
                    if (c.step()) path.append(String.format(Locale.ROOT, "H%.1f", px));
                    path.append(String.format(Locale.ROOT, c.step() ? "V%.1f" : "L%.1f %.1f", c.step() ? py : px, py));
                }

            }
            b.append("<path fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(color).append("\" d=\"").append(path).append("\"/>\n");
            int ly = TOP + 12 + 16 * k;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", LEFT + pw + 10, LEFT + pw + 28, ly - 4, ly - 4, color, LEFT + pw + 32, ly, esc(s.name())));
            k++;
        }
        b.append("</svg>\n");
    }

    /** A round step for about six ticks over {@code range}: 1, 2 or 5 times a power of ten. */
    static double step(double range) {
        double raw = range / 6;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / p;
        return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * p;
    }

    /** The multiples of {@code step} within [from, to]. */
    static List<Double> ticks(double from, double to, double step) {
        List<Double> out = new java.util.ArrayList<>();
        for (long k = (long) Math.ceil(from / step - 1e-9); k * step <= to + step * 1e-9; k++) out.add(k * step);
        return out;
    }

    /** Ticks of a log axis (values are log10): every power of ten in range, with 2× and 5× when fewer than three. */
    static List<Double> logTicks(double from, double to) {
        List<Double> out = new java.util.ArrayList<>();
        for (long k = (long) Math.ceil(from - 1e-9); k <= to + 1e-9; k++) out.add((double) k);
        if (out.size() < 3) {
            List<Double> more = new java.util.ArrayList<>();
            for (long k = (long) Math.floor(from); k <= Math.ceil(to); k++) {
                for (double m : new double[] {1, 2, 5}) {
                    double v = k + Math.log10(m);
                    if (v >= from - 1e-9 && v <= to + 1e-9) more.add(v);
                }
            }
            return more;
        }
        return out;
    }

    /** A tick's label: as many decimals as the step needs, thousands separated. */
    static String label(double v, double step) {
        if (v != 0 && (Math.abs(v) >= 1e7 || Math.abs(v) < 1e-4)) return String.format(Locale.ROOT, "%.0e", v);
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(Math.abs(step)) - 1e-9));
        return String.format(Locale.ROOT, "%,." + Math.min(decimals, 4) + "f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
