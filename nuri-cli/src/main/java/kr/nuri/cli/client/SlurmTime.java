package kr.nuri.cli.client;

/**
 * Slurm's time formats for {@code --time}: "minutes", "minutes:seconds", "hours:minutes:seconds",
 * "days-hours", "days-hours:minutes", "days-hours:minutes:seconds" (see sbatch(1)).
 */
public final class SlurmTime {
    private SlurmTime() {}

    /** Seconds, or IllegalArgumentException naming the value. */
    public static long seconds(String text) {
        if (text == null || text.isBlank()) throw bad(text);
        try {
            long days = 0;
            String rest = text.trim();
            int dash = rest.indexOf('-');
            if (dash >= 0) {
                days = Long.parseLong(rest.substring(0, dash));
                rest = rest.substring(dash + 1);
            }
            String[] p = rest.split(":", -1);
            long s;
            if (dash >= 0) {
                if (p.length > 3) throw bad(text);
                s = Long.parseLong(p[0]) * 3600 + (p.length > 1 ? Long.parseLong(p[1]) * 60 : 0) + (p.length > 2 ? Long.parseLong(p[2]) : 0);
            } else {
                s = switch (p.length) {
                    case 1 -> Long.parseLong(p[0]) * 60;
                    case 2 -> Long.parseLong(p[0]) * 60 + Long.parseLong(p[1]);
                    case 3 -> Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]);
                    default -> throw bad(text);
                };
            }
            long total = days * 86_400 + s;
            if (days < 0 || s < 0 || total <= 0) throw bad(text);
            return total;
        } catch (NumberFormatException e) {
            throw bad(text);
        }
    }

    /** Formats seconds the way squeue shows times: [days-]hh:mm:ss. */
    public static String format(long seconds) {
        if (seconds < 0) return "-";
        long d = seconds / 86_400;
        long h = seconds / 3600 % 24;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return (d > 0 ? d + "-" : "") + String.format("%02d:%02d:%02d", h, m, s);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("--time '" + text + "' is not a Slurm time. Maybe 90 (minutes), 2:00:00 or 1-12:00:00?");
    }
}
