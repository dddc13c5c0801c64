package kr.nuri.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.config.NuriConfig;
import kr.nuri.core.fleet.Fleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nuri fleet}: GPUs per site, model and tenant, and the topology shape. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Show a fleet: GPUs per site, model and tenant, and its topology.")
final class FleetCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    FleetOption fleet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NuriConfig config = fleet.load();
        Fleet f = config.engine().fleet();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %,d GPUs, %,d nodes, %,d racks, %,d InfiniBand blocks, %d sites (%s)%n", f.name(), f.totalGpus(),
                f.nodeCount(), f.rackCount(), f.blockCount(), f.siteCount(), config.source());
        if (!config.description().isEmpty()) out.println(config.description());
        out.println();
        table(out, "GPUs by site and model", f.models(), bySiteModel(f, true));
        table(out, "GPUs by owner (tenant) and model", f.models(), bySiteModel(f, false));
        pools(out, config);
        out.println("Topology shape (per block kind):");
        Map<String, Integer> shapes = new LinkedHashMap<>();
        int modelWidth = f.models().stream().mapToInt(String::length).max().orElse(0);
        for (int b = 0; b < f.blockCount(); b++) {
            int racks = f.endRackOfBlock(b) - f.firstRackOfBlock(b);
            int r0 = f.firstRackOfBlock(b);
            int nodes = f.endNodeOfRack(r0) - f.firstNodeOfRack(r0);
            int gpus = f.nodeGpus(f.firstNodeOfRack(r0));
            boolean uniform = true;
            for (int r = r0; r < f.endRackOfBlock(b) && uniform; r++) {
                uniform = f.endNodeOfRack(r) - f.firstNodeOfRack(r) == nodes;
                for (int n = f.firstNodeOfRack(r); n < f.endNodeOfRack(r) && uniform; n++) uniform = f.nodeGpus(n) == gpus;
            }
            String model = String.format("  %-" + Math.max(13, modelWidth) + "s", f.models().get(f.modelOfBlock(b)));
            // A block of racks that differ (explicit racks of mixed nodes) is counted as it is, not as its first rack times racks.
            String key = uniform
                    ? String.format("%s %2d racks x %2d nodes x %d GPUs = %,6d GPUs per block%s", model, racks, nodes, gpus,
                            racks * nodes * gpus, nodes * gpus == 72 ? "  (NVL72: one NVLink domain per rack)" : "")
                    : String.format("%s %2d racks of mixed nodes (%,d nodes) = %,6d GPUs in block %s", model, racks,
                            f.endNodeOfRack(f.endRackOfBlock(b) - 1) - f.firstNodeOfRack(r0), f.gpusOfBlock(b), f.blockName(b));
            shapes.merge(key, 1, Integer::sum);
        }
        shapes.forEach((k, n) -> out.printf("%s  x %d blocks%n", k, n));
        out.println();
        out.printf("Tenants: %d in the quota tree; priority classes: %s%n", config.engine().tenants().size(),
                String.join(", ", config.engine().classes().stream().map(c -> c.name() + "(" + c.priority() + ")").toList()));
        return 0;
    }

    /** Each pool (an owner's GPUs of one model) with what the file's quotas guarantee on it, and to whom. */
    private static void pools(PrintWriter out, NuriConfig config) {
        Fleet f = config.engine().fleet();
        var tree = new kr.nuri.core.tenancy.TenantTree(config.engine().tenants());
        var pools = new kr.nuri.core.tenancy.Pools(f, tree);
        long[] guaranteed = new long[f.poolCount()];
        java.util.List<java.util.List<String>> to = new java.util.ArrayList<>();
        for (int p = 0; p < f.poolCount(); p++) to.add(new java.util.ArrayList<>());
        for (var t : config.engine().tenants()) {
            for (var q : t.quotas()) {
                if (q.nominal() == 0) continue;
                int p = pools.resolve(tree.index(t.name()), q.model());
                guaranteed[p] += q.nominal();
                to.get(p).add(t.name() + " " + q.nominal());
            }
        }
        int width = Math.max(12, f.pools().stream().mapToInt(String::length).max().orElse(0) + 1);
        out.println("Pools (an owner's GPUs of one model; quota is a claim on them):");
        out.printf("  %-" + width + "s %-14s %10s %11s  %s%n", "POOL", "OWNER", "GPUS", "GUARANTEED", "GUARANTEED TO");
        for (int p = 0; p < f.poolCount(); p++) {
            out.printf("  %-" + width + "s %-14s %,10d %,11d  %s%n", f.poolName(p), f.ownerOfPool(p), f.gpusOfPool(p), guaranteed[p],
                    to.get(p).isEmpty() ? "-" : String.join(", ", to.get(p)));
        }
        out.println();
    }

    private static Map<String, long[]> bySiteModel(Fleet f, boolean bySite) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (int b = 0; b < f.blockCount(); b++) {
            String key = bySite ? f.siteName(f.siteOfBlock(b)) : f.ownerOfBlock(b);
            rows.computeIfAbsent(key, k -> new long[f.modelCount()])[f.modelOfBlock(b)] += f.gpusOfBlock(b);
        }
        return rows;
    }

    /** Columns as wide as their longest model name or figure (at least 14), a space between any two. */
    private static void table(PrintWriter out, String title, java.util.List<String> models, Map<String, long[]> rows) {
        out.println(title + ":");
        int nameWidth = Math.max(16, rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 1);
        int[] widths = new int[models.size() + 1];
        long[] totals = new long[models.size()];
        for (long[] row : rows.values()) for (int i = 0; i < totals.length; i++) totals[i] += row[i];
        long all = java.util.Arrays.stream(totals).sum();
        for (int i = 0; i < models.size(); i++) widths[i] = Math.max(14, Math.max(models.get(i).length(), String.format("%,d", totals[i]).length()) + 1);
        widths[models.size()] = Math.max(14, String.format("%,d", all).length() + 1);
        out.printf("  %-" + nameWidth + "s", "");
        for (int i = 0; i < models.size(); i++) out.printf("%" + widths[i] + "s", models.get(i));
        out.printf("%" + widths[models.size()] + "s%n", "all");
        for (var e : rows.entrySet()) printRow(out, nameWidth, widths, e.getKey(), e.getValue());
        printRow(out, nameWidth, widths, "total", totals);
        out.println();
    }

    private static void printRow(PrintWriter out, int nameWidth, int[] widths, String name, long[] row) {
        out.printf("  %-" + nameWidth + "s", name);
        long sum = 0;
        for (int i = 0; i < row.length; i++) {
            out.printf("%" + widths[i] + "s", row[i] == 0 ? "-" : String.format("%,d", row[i]));
            sum += row[i];
        }
        out.printf("%" + widths[row.length] + "s%n", String.format("%,d", sum));
    }
}
