package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SimulateCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) { }

    private static Run nuri(String... args) {
        var cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int exit = cli.execute(args);
            return new Run(exit, printed.toString(java.nio.charset.StandardCharsets.UTF_8) + out, err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void aRunWhoseSubmissionsAreRefusedStopsWithTheReason() throws Exception {
        // Found by trying the product: all 10,000 submissions refused ("no priority class 'training'"), and the run still
        // "completed" with JCT mean NaN h, p50 -0.00 h and exit status 0.
        Path f = dir.resolve("batch-only.yaml");
        Files.writeString(f, Files.readString(fleet()) + "priorityClasses:\n  - {name: batch, priority: 100, defaultWalltimeHours: 4, maxWalltimeHours: 48}\n");
        Run r = nuri("simulate", "--fleet", f.toString(), "--jobs", "50");
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("refused 50 of 50 submissions").contains("priority class");
        assertThat(r.out()).doesNotContain("NaN").doesNotContain("-0.00");
    }

    private Path fleet() throws Exception {
        Path f = dir.resolve("lab.yaml");
        Files.writeString(f, """
                name: lab
                sites: [{name: s, blocks: [{name: b, model: H100, racks: 2, nodesPerRack: 4, gpusPerNode: 8}]}]
                tenants:
                  - {name: root}
                  - {name: org-a, parent: root}
                  - {name: a, parent: org-a, quotas: {H100: 40}}
                  - {name: org-b, parent: root}
                  - {name: b, parent: org-b, quotas: {H100: 24}}
                """);
        return f;
    }

    @Test
    @SuppressWarnings("unchecked")
    void failuresFragmentationAndFinishTimeFairnessReachTheReport() throws Exception {
        Path out = dir.resolve("out");
        Run r = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "400", "--load", "0.9", "--mtbf-hours", "300",
                "--repair-hours", "2", "--checkpoint-minutes", "30", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("node failures:").contains("finish-time fairness").contains("fragmentation (FGD measure");
        Map<String, Object> s = JsonMapper.builder().build().readValue(out.resolve("summary.json").toFile(), Map.class);
        Map<String, Object> failures = (Map<String, Object>) s.get("failures");
        assertThat(((Number) failures.get("node_failures")).longValue()).isPositive();
        assertThat(((Number) failures.get("mtbf_hours_per_node")).doubleValue()).isEqualTo(300.0);
        Map<String, Object> frag = (Map<String, Object>) s.get("fragmentation");
        assertThat(((Number) frag.get("samples")).intValue()).isPositive();
        // The summary's mean is the mean of the hourly samples written to over_time.csv, and the samples are real.
        List<String> rows = Files.readAllLines(out.resolve("over_time.csv"));
        double sum = 0;
        int sampled = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            if (cells[5].isEmpty()) continue;
            double pct = Double.parseDouble(cells[5]);
            assertThat(Double.parseDouble(cells[4])).as("fragmented GPUs are idle GPUs: " + row).isLessThanOrEqualTo(Double.parseDouble(cells[3]));
            sum += pct;
            sampled++;
        }
        assertThat(sampled).as("hourly fragmentation samples").isEqualTo(((Number) frag.get("samples")).intValue());
        assertThat(((Number) frag.get("mean_fragmentation_pct")).doubleValue()).as("mean fragmentation")
                .isCloseTo(sum / sampled, org.assertj.core.data.Offset.offset(1e-9)).isPositive();
        Map<String, Object> classes = (Map<String, Object>) s.get("by_tenant_class");
        assertThat(classes).containsOnlyKeys("org-a", "org-b");
        Map<String, Object> ftf = (Map<String, Object>) ((Map<String, Object>) classes.get("org-a")).get("finish_time_fairness");
        assertThat(((Number) ftf.get("jobs")).intValue()).isPositive();
        assertThat(Files.readString(out.resolve("over_time.csv"))).startsWith("hour,gpus_allocated,utilisation_pct,idle_gpus,fragmented_gpus,fragmentation_pct");
        assertThat(Files.readString(out.resolve("report.html"))).contains("Idle and fragmented GPUs over time");

        // Same inputs, same seeds: the same bytes.
        Path again = dir.resolve("again");
        nuri("simulate", "--fleet", fleet().toString(), "--jobs", "400", "--load", "0.9", "--mtbf-hours", "300",
                "--repair-hours", "2", "--checkpoint-minutes", "30", "--out", again.toString());
        assertThat(Files.readString(again.resolve("summary.json"))).isEqualTo(Files.readString(out.resolve("summary.json")));
    }

    @Test
    void aSharingTraceRunsUnderTheNodePlacementPolicyAsked() throws Exception {
        Path f = dir.resolve("share.yaml");
        Files.writeString(f, """
                name: share
                sites: [{name: s, blocks: [{name: t4, model: T4, racks: 2, nodesPerRack: 4, gpusPerNode: 2, cpuMilliPerNode: 16000, memoryMibPerNode: 65536}]}]
                tenants:
                  - {name: root}
                  - {name: p, parent: root, quotas: {T4: 1000}}
                """);
        StringBuilder csv = new StringBuilder("submit,project,gpus,runtime,gpu_milli,cpu_milli\n");
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 300; i++) {
            int kind = r.nextInt(4);
            // CPU-only, a share, one whole GPU, two whole GPUs; every task asks for 1 to 6 cores.
            csv.append(i * 20).append(",p,").append(kind == 0 ? 0 : kind == 3 ? 2 : 1).append(',').append(600 + r.nextInt(3000)).append(',')
                    .append(kind == 1 ? String.valueOf(100 * (1 + r.nextInt(9))) : "").append(',').append(1000 * (1 + r.nextInt(6))).append('\n');
        }
        Path trace = Files.writeString(dir.resolve("pods.csv"), csv.toString());
        Run fgd = nuri("simulate", "--trace", trace.toString(), "--fleet", f.toString(), "--placement", "fgd", "--out", dir.resolve("fgd").toString());
        assertThat(fgd.exit()).as(fgd.err()).isZero();
        assertThat(fgd.out()).contains("node placement fgd");
        Run packing = nuri("simulate", "--trace", trace.toString(), "--fleet", f.toString(), "--placement", "packing", "--out", dir.resolve("p").toString());
        assertThat(packing.exit()).as(packing.err()).isZero();
        assertThat(Files.readString(dir.resolve("fgd").resolve("summary.json"))).contains("\"completed\" : 300");
        Run bad = nuri("simulate", "--trace", trace.toString(), "--fleet", f.toString(), "--placement", "tetris");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--placement 'tetris'").contains("dotprod");
        bad = nuri("simulate", "--experiment", "fgd-openb", "--placement", "fgd");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--policies");
    }

    @Test
    void badFailureOptionsNameTheOptionAndTheValue() throws Exception {
        Run r = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "10", "--mtbf-hours", "-5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("MTBF -5.0 hours");
        r = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "10", "--checkpoint-minutes", "-1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--checkpoint-minutes -1");
        r = nuri("simulate", "--experiment", "philly-vc", "--mtbf-hours", "100");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--mtbf-hours applies to national, --trace and the gavel workload");
        r = nuri("simulate", "--experiment", "philly-vc", "--mix", "stress");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--mix is for --experiment national only");
        r = nuri("simulate", "--experiment", "national", "--mix", "bogus", "--jobs", "10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--mix bogus", "national or stress");
        r = nuri("simulate", "--experiment", "fgd-openb", "--speedup", "4");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--speedup is for --experiment philly-vc only");
    }

    @Test
    void theQueueOrderCanBeChosenPerRun() throws Exception {
        Path fs = dir.resolve("fs");
        Path sjf = dir.resolve("sjf");
        Run a = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "600", "--load", "1.2", "--out", fs.toString());
        Run b = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "600", "--load", "1.2", "--queue-order", "sjf", "--out", sjf.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).contains("queue order sjf");
        assertThat(Files.readString(sjf.resolve("summary.json"))).as("an overloaded lab decides differently under sjf")
                .isNotEqualTo(Files.readString(fs.resolve("summary.json")));
        Run bad = nuri("simulate", "--fleet", fleet().toString(), "--jobs", "10", "--queue-order", "lifo");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'lifo'").contains("fair-share");
        bad = nuri("simulate", "--experiment", "philly-vc", "--queue-order", "sjf");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--policies");
    }

    @Test
    void experimentsComeFromOneRegistryListedInHelpAndInTheRefusal() {
        String help = Main.commandLine().getSubcommands().get("simulate").getUsageMessage();
        for (String name : List.of("fgd-openb", "philly-vc", "philly-quota", "national")) {
            assertThat(help).as("--help lists " + name).contains("  " + name + " ");
        }
        Run bad = nuri("simulate", "--experiment", "nope");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'nope'".replace("'", "")).contains("[fgd-openb, philly-vc, philly-quota, national]");
    }
}
