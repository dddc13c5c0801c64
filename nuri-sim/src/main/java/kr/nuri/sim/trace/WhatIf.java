package kr.nuri.sim.trace;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * A what-if file (CSV, documented in docs/traces.md): changes applied at a virtual time during a simulation.
 * Columns: {@code at} (seconds), {@code change} ({@code quota}, {@code dedicated} or {@code budget}),
 * {@code tenant}, {@code model}; for {@code quota}: {@code nominal} and optionally {@code borrowing} and
 * {@code lending} (default: the tenant's configured limits for that model); for {@code dedicated}: {@code gpus}
 * and {@code days}; for {@code budget}: {@code gpu_hours} and {@code days}.
 */
public final class WhatIf {
    private WhatIf() { }

    /**
     * Per tenant, the GPU models a what-if gives it capacity on (a quota with a positive nominal, dedicated
     * capacity), so that a workload can let jobs run there (see {@code NationalWorkload}).
     */
    public static Map<String, Set<String>> modelsGained(List<Command> changes) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Command c : changes) {
            switch (c) {
                case Command.SetQuota q when q.nominal() > 0 -> out.computeIfAbsent(q.tenant(), t -> new TreeSet<>()).add(q.model());
                case Command.GrantAward g when g.award().kind() == AwardSpec.Kind.DEDICATED ->
                        out.computeIfAbsent(g.award().tenant(), t -> new TreeSet<>()).add(g.award().model());
                default -> { }
            }
        }
        return out;
    }

    public static List<Command> read(Path file, EngineConfig config) {
        return CsvRows.list(file, List.of("at", "change", "tenant"), r -> {
            long at = r.longValue("at", 0, Long.MAX_VALUE / 4);
            String tenant = r.string("tenant");
            TenantSpec spec = config.tenants().stream().filter(t -> t.name().equals(tenant)).findFirst()
                    .orElseThrow(() -> r.fail("tenant", tenant, "fleet " + config.fleet().name() + " has no such tenant. Maybe one of "
                            + config.projects() + "?"));
            String model = r.string("model");
            if (!model.isEmpty() && config.fleet().modelIndex(model) < 0) {
                throw r.fail("model", model, "fleet " + config.fleet().name() + " has no such GPU model. Maybe one of " + config.fleet().models() + "?");
            }
            String change = r.string("change");
            String id = "whatif-" + r.line();
            return switch (change) {
                case "quota" -> {
                    if (model.isEmpty()) throw r.fail("model", model, "a quota change needs a GPU model");
                    QuotaSpec now = spec.quotas().stream().filter(q -> q.model().equalsIgnoreCase(model)).findFirst()
                            .orElse(new QuotaSpec(model, 0, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED));
                    int nominal = r.intValue("nominal", 0, Integer.MAX_VALUE);
                    int borrowing = r.string("borrowing").isEmpty() ? now.borrowingLimit() : r.intValue("borrowing", -1, Integer.MAX_VALUE);
                    int lending = r.string("lending").isEmpty() ? now.lendingLimit() : r.intValue("lending", -1, Integer.MAX_VALUE);
                    yield new Command.SetQuota(at, tenant, model, nominal, borrowing, lending);
                }
                case "dedicated" -> {
                    if (model.isEmpty()) throw r.fail("model", model, "dedicated capacity needs a GPU model");
                    long days = r.longValue("days", 1, 36_500);
                    yield new Command.GrantAward(at, new AwardSpec(id, tenant, AwardSpec.Kind.DEDICATED, model, 0,
                            r.intValue("gpus", 1, Integer.MAX_VALUE), at, at + days * 86_400));
                }
                case "budget" -> {
                    long days = r.longValue("days", 1, 36_500);
                    long hours = r.longValue("gpu_hours", 1, Long.MAX_VALUE / 7200);
                    yield new Command.GrantAward(at, new AwardSpec(id, tenant, AwardSpec.Kind.BUDGET, model.isEmpty() ? null : model,
                            hours * 3600, 0, at, at + days * 86_400));
                }
                default -> throw r.fail("change", change, "expected quota, dedicated or budget");
            };
        });
    }
}
