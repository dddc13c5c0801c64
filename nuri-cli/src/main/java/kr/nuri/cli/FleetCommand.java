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
        out.println("Topology shape (per block kind):");
        Map<String, Integer> shapes = new LinkedHashMap<>();
        for (int b = 0; b < f.blockCount(); b++) {
            int racks = f.endRackOfBlock(b) - f.firstRackOfBlock(b);
            int r0 = f.firstRackOfBlock(b);
            int nodes = f.endNodeOfRack(r0) - f.firstNodeOfRack(r0);
            int gpus = f.nodeGpus(f.firstNodeOfRack(r0));
            String key = String.format("  %-13s %2d racks x %2d nodes x %d GPUs = %,6d GPUs per block%s",
                    f.models().get(f.modelOfBlock(b)), racks, nodes, gpus, racks * nodes * gpus,
                    nodes * gpus == 72 ? "  (NVL72: one NVLink domain per rack)" : "");
            shapes.merge(key, 1, Integer::sum);
        }
        shapes.forEach((k, n) -> out.printf("%s  x %d blocks%n", k, n));
        out.println();
        out.printf("Tenants: %d in the quota tree; priority classes: %s%n", config.engine().tenants().size(),
                String.join(", ", config.engine().classes().stream().map(c -> c.name() + "(" + c.priority() + ")").toList()));
        return 0;
    }

    private static Map<String, long[]> bySiteModel(Fleet f, boolean bySite) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (int b = 0; b < f.blockCount(); b++) {
            String key = bySite ? f.siteName(f.siteOfBlock(b)) : f.ownerOfBlock(b);
            rows.computeIfAbsent(key, k -> new long[f.modelCount()])[f.modelOfBlock(b)] += f.gpusOfBlock(b);
        }
        return rows;
    }

    private static void table(PrintWriter out, String title, java.util.List<String> models, Map<String, long[]> rows) {
        out.println(title + ":");
        out.printf("  %-16s", "");
        for (String m : models) out.printf("%14s", m);
        out.printf("%14s%n", "all");
        long[] totals = new long[models.size()];
        for (var e : rows.entrySet()) {
            printRow(out, e.getKey(), e.getValue());
            for (int i = 0; i < totals.length; i++) totals[i] += e.getValue()[i];
        }
        printRow(out, "total", totals);
        out.println();
    }

    private static void printRow(PrintWriter out, String name, long[] row) {
        out.printf("  %-16s", name);
        long sum = 0;
        for (long v : row) {
            out.printf("%14s", v == 0 ? "-" : String.format("%,d", v));
            sum += v;
        }
        out.printf("%14s%n", String.format("%,d", sum));
    }
}
