package kr.nuri.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.nuri.config.yaml.FleetFile;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.schedule.Policies;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantPolicy;
import kr.nuri.core.tenancy.TenantSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a fleet file (YAML) into a validated {@link NuriConfig}. Every error is a {@link ConfigException}
 * naming the file, the field path and the value. Built-in fleets ship in the jar under {@code fleets/}.
 */
public final class FleetConfigReader {
    public static final String DEFAULT_FLEET = "korea-2025";
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private FleetConfigReader() {}

    /** The built-in national default. */
    public static NuriConfig korea2025() {
        return builtin(DEFAULT_FLEET);
    }

    public static NuriConfig builtin(String name) {
        String resource = "fleets/" + name + ".yaml";
        try (InputStream in = FleetConfigReader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new ConfigException(name, "fleet", name, "no built-in fleet of that name. Maybe " + DEFAULT_FLEET + "?");
            return parse(name + ".yaml (built in)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(resource, "file", null, "cannot be read: " + e.getMessage());
        }
    }

    /** A fleet file on disk, or a built-in fleet when {@code spec} names one and no such file exists. */
    public static NuriConfig load(String spec) {
        Path path = Path.of(spec);
        if (!Files.exists(path) && !spec.contains("/") && !spec.endsWith(".yaml") && !spec.endsWith(".yml")) {
            return builtin(spec);
        }
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException(spec, "file", null, "does not exist. Maybe a path relative to " + Path.of("").toAbsolutePath() + "?");
        } catch (IOException e) {
            throw new ConfigException(spec, "file", null, "cannot be read: " + e.getMessage());
        }
    }

    public static NuriConfig parse(String file, String yaml) {
        FleetFile f;
        try {
            f = MAPPER.readValue(yaml, FleetFile.class);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException(file, path(e) + where, null, e.getOriginalMessage());
        }
        if (f == null) throw new ConfigException(file, "(document)", null, "the file is empty");
        return new Converter(file).convert(f);
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(document)" : sb.toString();
    }

    /** Turns the parsed records into engine config, keeping the field path for every error. */
    private record Converter(String file) {
        NuriConfig convert(FleetFile f) {
            String name = require(f.name(), "name");
            Fleet fleet = fleet(name, f.sites());
            List<PriorityClass> classes = classes(f.priorityClasses());
            List<TenantSpec> tenants = tenants(fleet, f.tenants(), classes);
            List<AwardSpec> awards = awards(f.awards());
            double halfLife = f.fairShareHalfLifeHours() == null ? 168 : f.fairShareHalfLifeHours();
            if (!(halfLife > 0)) throw new ConfigException(file, "fairShareHalfLifeHours", halfLife, "must be positive (hours). Maybe 168 (a week)?");
            SchedulerSettings s = scheduler(f.scheduler());
            try {
                // Building the tree validates parents and cycles.
                kr.nuri.core.tenancy.TenantTree tree = new kr.nuri.core.tenancy.TenantTree(tenants);
                owners(fleet, tree, f.tenants() != null && !f.tenants().isEmpty());
                guarantees(fleet, tenants, tree);
                EngineConfig engine = new EngineConfig(fleet, tenants, classes, awards, Math.round(halfLife * 3600), s, AssertionLevel.OFF);
                return new NuriConfig(file, f.description() == null ? "" : f.description().strip(), engine,
                        BackendReader.read(file, f.sites(), fleet));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, "tenants", null, e.getMessage());
            }
        }

        /**
         * Guarantees the fleet can honour, as the engine checks a quota change: none on the root, none beyond what the
         * fleet's GPUs of the model could ever run (a share counts as one GPU against quota: one job per thousandth of
         * every GPU), a child's within its parent's when the parent has one.
         */
        private void guarantees(Fleet fleet, List<TenantSpec> tenants, kr.nuri.core.tenancy.TenantTree tree) {
            kr.nuri.core.tenancy.Pools pools = new kr.nuri.core.tenancy.Pools(fleet, tree);
            java.util.Map<String, TenantSpec> byName = new java.util.HashMap<>();
            for (TenantSpec t : tenants) byName.put(t.name(), t);
            long[] claimed = new long[fleet.poolCount()];
            for (int i = 0; i < tenants.size(); i++) {
                TenantSpec t = tenants.get(i);
                int ti = tree.index(t.name());
                for (QuotaSpec q : t.quotas()) {
                    String field = "tenants[" + i + "].quotas." + q.model();
                    if (t.parent() == null) {
                        throw new ConfigException(file, field, q.nominal(), "'" + t.name() + "' is the root of the quota tree: it holds the whole"
                                + " fleet. Maybe give the quota to a tenant below it?");
                    }
                    int p;
                    try {
                        p = pools.resolve(ti, q.model());
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(file, field, q.model(), e.getMessage());
                    }
                    if (q.nominal() > 0 && !pools.mayClaim(ti, p)) {
                        throw new ConfigException(file, field, q.nominal(), "pool " + fleet.poolName(p) + " belongs to " + fleet.ownerOfPool(p)
                                + ", outside the line of '" + t.name() + "': guaranteed quota is a claim on GPUs the tenant's line owns");
                    }
                    if (q.nominal() > pools.bound(p)) {
                        throw new ConfigException(file, field, q.nominal(), "is more than pool " + fleet.poolName(p) + "'s " + fleet.gpusOfPool(p)
                                + " GPUs" + (pools.bound(p) > fleet.gpusOfPool(p) ? " could ever run, even as shares of a thousandth (" + pools.bound(p) + ")" : ""));
                    }
                    claimed[p] += q.nominal();
                    String over = pools.overCommitted(p, claimed[p], 0);
                    if (over != null) throw new ConfigException(file, field, q.nominal(), over);
                    TenantSpec parent = byName.get(t.parent());
                    for (QuotaSpec pq : parent == null ? List.<QuotaSpec>of() : parent.quotas()) {
                        if (pq.model().equals(q.model()) && pq.nominal() > 0 && q.nominal() > pq.nominal()) {
                            throw new ConfigException(file, field, q.nominal(), "does not fit the guarantee of its parent '" + parent.name()
                                    + "' (" + pq.nominal() + ")");
                        }
                    }
                }
            }
        }

        /** With a tenants section, every block's owner must be one of them (a typo would leave the GPUs to everyone). */
        private void owners(Fleet fleet, kr.nuri.core.tenancy.TenantTree tree, boolean tenantsGiven) {
            if (!tenantsGiven) return;
            for (int b = 0; b < fleet.blockCount(); b++) {
                String owner = fleet.ownerOfBlock(b);
                if (!Fleet.UNASSIGNED.equals(owner) && tree.index(owner) < 0) {
                    throw new ConfigException(file, "sites: block " + fleet.blockName(b) + ".owner", owner, "is not a tenant. Maybe a typo, or add"
                            + " the tenant that owns these GPUs?");
                }
            }
        }

        private String require(String v, String field) {
            if (v == null || v.isBlank()) throw new ConfigException(file, field, v, "is required");
            return v;
        }

        private int positive(Integer v, String field, String hint) {
            if (v == null) throw new ConfigException(file, field, null, "is required. " + hint);
            if (v < 1) throw new ConfigException(file, field, v, "must be at least 1. " + hint);
            return v;
        }

        private Fleet fleet(String name, List<FleetFile.Site> sites) {
            if (sites == null || sites.isEmpty()) throw new ConfigException(file, "sites", null, "at least one site is required");
            FleetBuilder b = new FleetBuilder(name);
            for (int s = 0; s < sites.size(); s++) {
                FleetFile.Site site = sites.get(s);
                String sp = "sites[" + s + "]";
                guard(sp + ".name", site.name(), () -> b.site(require(site.name(), sp + ".name")));
                if (site.blocks() == null || site.blocks().isEmpty()) throw new ConfigException(file, sp + ".blocks", null, "a site needs at least one block");
                for (int k = 0; k < site.blocks().size(); k++) block(b, site.blocks().get(k), sp + ".blocks[" + k + "]");
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, "sites", null, e.getMessage());
            }
        }

        private void block(FleetBuilder b, FleetFile.Block blk, String p) {
            String name = require(blk.name(), p + ".name");
            String model = require(blk.model(), p + ".model");
            int count = blk.count() == null ? 1 : positive(blk.count(), p + ".count", "The number of identical blocks.");
            if (blk.rackList() != null) {
                if (blk.racks() != null || blk.count() != null) {
                    throw new ConfigException(file, p + ".rackList", null, "give either rackList or racks/nodesPerRack/gpusPerNode (with count), not both");
                }
                guard(p + ".name", name, () -> b.block(name, model, blk.owner()));
                for (int r = 0; r < blk.rackList().size(); r++) {
                    FleetFile.Rack rack = blk.rackList().get(r);
                    String rp = p + ".rackList[" + r + "]";
                    guard(rp + ".name", rack.name(), () -> b.rack(require(rack.name(), rp + ".name")));
                    if (rack.nodes() == null || rack.nodes().isEmpty()) throw new ConfigException(file, rp + ".nodes", null, "a rack needs at least one node");
                    for (int n = 0; n < rack.nodes().size(); n++) {
                        FleetFile.Node node = rack.nodes().get(n);
                        String np = rp + ".nodes[" + n + "]";
                        int gpus = node.gpus() == null ? 8 : node.gpus();
                        int cpu = node.cpuMilli() == null ? 0 : node.cpuMilli();
                        long memory = node.memoryMib() == null ? 0 : node.memoryMib();
                        String field = cpu < 0 ? np + ".cpuMilli" : memory < 0 ? np + ".memoryMib" : np + ".gpus";
                        Object value = cpu < 0 ? cpu : memory < 0 ? memory : gpus;
                        guard(field, value, () -> b.node(require(node.name(), np + ".name"), gpus, cpu, memory));
                    }
                }
                return;
            }
            int racks = positive(blk.racks(), p + ".racks", "Racks per block (e.g. 8 NVL72 racks, or 8 racks of 4 HGX nodes).");
            int perRack = positive(blk.nodesPerRack(), p + ".nodesPerRack", "Nodes per rack (18 trays for NVL72, 4 for HGX).");
            int gpus = positive(blk.gpusPerNode(), p + ".gpusPerNode", "GPUs per node (8 for HGX, 4 for GB200/GH200 trays).");
            int cpu = blk.cpuMilliPerNode() == null ? 0 : blk.cpuMilliPerNode();
            long memory = blk.memoryMibPerNode() == null ? 0 : blk.memoryMibPerNode();
            String field = cpu < 0 ? p + ".cpuMilliPerNode" : memory < 0 ? p + ".memoryMibPerNode" : p + ".gpusPerNode";
            Object value = cpu < 0 ? cpu : memory < 0 ? memory : gpus;
            for (int i = 1; i <= count; i++) {
                String bn = count == 1 ? name : name + "-" + i;
                guard(p + ".name", bn, () -> b.block(bn, model, blk.owner()));
                guard(field, value, () -> b.racks(racks, perRack, gpus, cpu, memory));
            }
        }

        private void guard(String field, Object value, Runnable r) {
            try {
                r.run();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, field, value, e.getMessage());
            }
        }

        private List<TenantSpec> tenants(Fleet fleet, List<FleetFile.Tenant> list, List<PriorityClass> classes) {
            if (list == null || list.isEmpty()) return ownersAsTenants(fleet);
            List<TenantSpec> out = new ArrayList<>();
            for (int t = 0; t < list.size(); t++) {
                FleetFile.Tenant y = list.get(t);
                String p = "tenants[" + t + "]";
                String name = require(y.name(), p + ".name");
                double weight = y.weight() == null ? 1 : y.weight();
                if (!(weight > 0)) throw new ConfigException(file, p + ".weight", weight, "must be positive. Maybe 1?");
                List<QuotaSpec> quotas = new ArrayList<>();
                if (y.quotas() != null) {
                    for (Map.Entry<String, Object> e : y.quotas().entrySet()) {
                        String qp = p + ".quotas." + e.getKey();
                        if (fleet.modelIndex(e.getKey()) < 0 && fleet.poolIndex(e.getKey()) < 0) {
                            throw new ConfigException(file, qp, e.getKey(), "the fleet has no such GPU model or pool. Maybe one of "
                                    + fleet.models() + " or " + fleet.pools() + "?");
                        }
                        quotas.add(quota(e.getKey(), e.getValue(), qp, Boolean.TRUE.equals(y.isolated())));
                    }
                }
                out.add(new TenantSpec(name, y.parent(), weight, quotas, policy(y, p, classes), Boolean.TRUE.equals(y.isolated())));
            }
            return out;
        }

        private TenantPolicy policy(FleetFile.Tenant y, String p, List<PriorityClass> classes) {
            java.util.Map<String, Long> allowed = null;
            if (y.classes() != null) {
                allowed = new java.util.TreeMap<>();
                for (Map.Entry<String, Double> e : y.classes().entrySet()) {
                    String cp = p + ".classes." + e.getKey();
                    PriorityClass pc = classes.stream().filter(c -> c.name().equalsIgnoreCase(e.getKey())).findFirst().orElseThrow(() ->
                            new ConfigException(file, cp, e.getKey(), "no such priority class. Maybe one of "
                                    + classes.stream().map(PriorityClass::name).toList() + "?"));
                    double hours = e.getValue() == null ? 0 : e.getValue();
                    long seconds = Math.round(hours * 3600);
                    if (!(hours >= 0) || seconds > pc.maxWalltime()) {
                        throw new ConfigException(file, cp, e.getValue(), "the longest walltime here, in hours, must be 0 (the class's own) to "
                                + pc.maxWalltime() / 3600.0 + " (the class's maxWalltimeHours)");
                    }
                    allowed.put(pc.name(), seconds);
                }
            }
            return TenantPolicy.of(y.awardRequired(), y.unawardedScavengers(), allowed);
        }

        private QuotaSpec quota(String model, Object v, String p, boolean isolated) {
            int lendDefault = isolated ? 0 : QuotaSpec.UNLIMITED;
            if (v instanceof Number n) {
                if (n.intValue() < 0 || n.doubleValue() != n.intValue()) throw new ConfigException(file, p, v, "must be a whole number of GPUs, 0 or more");
                return new QuotaSpec(model, n.intValue(), QuotaSpec.UNLIMITED, lendDefault);
            }
            if (v instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!List.of("nominal", "borrowingLimit", "lendingLimit").contains(String.valueOf(k))) {
                        throw new ConfigException(file, p + "." + k, m.get(k), "unknown field. Maybe nominal, borrowingLimit or lendingLimit?");
                    }
                }
                int nominal = intField(m, "nominal", 0, p);
                int borrow = intField(m, "borrowingLimit", QuotaSpec.UNLIMITED, p);
                int lend = intField(m, "lendingLimit", lendDefault, p);
                try {
                    return new QuotaSpec(model, nominal, borrow, lend);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, p, v, e.getMessage());
                }
            }
            throw new ConfigException(file, p, v, "must be a number of GPUs or {nominal, borrowingLimit, lendingLimit}");
        }

        private int intField(Map<?, ?> m, String key, int dflt, String p) {
            Object v = m.get(key);
            if (v == null) return dflt;
            if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
                throw new ConfigException(file, p + "." + key, v, "must be a whole number (-1 means no limit)");
            }
            return n.intValue();
        }

        /** Without a tenants section: one project per block owner, guaranteed the GPUs it owns. */
        private List<TenantSpec> ownersAsTenants(Fleet fleet) {
            List<TenantSpec> out = new ArrayList<>();
            out.add(new TenantSpec("fleet", null, 1, List.of()));
            for (String owner : fleet.owners()) {
                long[] gpus = new long[fleet.modelCount()];
                for (int b = 0; b < fleet.blockCount(); b++) {
                    if (fleet.ownerOfBlock(b).equals(owner)) gpus[fleet.modelOfBlock(b)] += fleet.gpusOfBlock(b);
                }
                List<QuotaSpec> q = new ArrayList<>();
                for (int m = 0; m < gpus.length; m++) {
                    if (gpus[m] > 0) q.add(new QuotaSpec(fleet.models().get(m), (int) gpus[m], QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED));
                }
                out.add(new TenantSpec(owner, "fleet", 1, q));
            }
            return out;
        }

        private List<PriorityClass> classes(List<FleetFile.PriorityClassEntry> list) {
            if (list == null || list.isEmpty()) return EngineConfig.DEFAULT_CLASSES;
            List<PriorityClass> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                FleetFile.PriorityClassEntry c = list.get(i);
                String p = "priorityClasses[" + i + "]";
                if (c.priority() == null) throw new ConfigException(file, p + ".priority", null, "is required (higher goes first)");
                double dflt = c.defaultWalltimeHours() == null ? 24 : c.defaultWalltimeHours();
                double max = c.maxWalltimeHours() == null ? Math.max(dflt, 24 * 14) : c.maxWalltimeHours();
                try {
                    out.add(new PriorityClass(require(c.name(), p + ".name"), c.priority(), Math.round(dflt * 3600),
                            Math.round(max * 3600), Boolean.TRUE.equals(c.preemptible())));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, p, c.name(), e.getMessage());
                }
            }
            return out;
        }

        private List<AwardSpec> awards(List<FleetFile.Award> list) {
            if (list == null) return List.of();
            List<AwardSpec> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                FleetFile.Award a = list.get(i);
                String p = "awards[" + i + "]";
                AwardSpec.Kind kind;
                try {
                    kind = AwardSpec.Kind.valueOf(require(a.kind(), p + ".kind").toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, p + ".kind", a.kind(), "must be BUDGET or DEDICATED");
                }
                long from = time(a.from(), p + ".from");
                long to = time(a.to(), p + ".to");
                long budget = a.gpuHours() == null ? 0 : Math.round(a.gpuHours() * 3600);
                try {
                    out.add(new AwardSpec(require(a.id(), p + ".id"), require(a.tenant(), p + ".tenant"), kind, a.model(), budget,
                            a.gpus() == null ? 0 : a.gpus(), from, to));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, p, a.id(), e.getMessage());
                }
            }
            return out;
        }

        private long time(String v, String p) {
            require(v, p);
            try {
                return v.contains("T") ? Instant.parse(v).getEpochSecond() : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            } catch (DateTimeParseException e) {
                throw new ConfigException(file, p, v, "must be a date (2026-01-01) or an instant (2026-01-01T09:00:00Z)");
            }
        }

        private SchedulerSettings scheduler(FleetFile.Scheduler s) {
            if (s == null) return SchedulerSettings.DEFAULT;
            SchedulerSettings d = SchedulerSettings.DEFAULT;
            PlacementSettings placement = placement(s);
            SchedulerSettings settings;
            try {
                settings = new SchedulerSettings(s.reservations() == null ? d.reservations() : s.reservations(),
                        s.probeDepth() == null ? d.probeDepth() : s.probeDepth(),
                        s.preemption() == null ? d.preemption() : s.preemption(),
                        s.maxVictims() == null ? d.maxVictims() : s.maxVictims(),
                        s.preemptExemptMinutes() == null ? d.preemptExemptSeconds() : Math.round(s.preemptExemptMinutes() * 60),
                        new PolicyNames(s.queueOrder(), s.admission(), s.gangPlacement(), s.preemptionPolicy(), s.backfill()),
                        placement);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, "scheduler", null, e.getMessage());
            }
            try {
                Policies.STANDARD.check(settings);
            } catch (Policies.UnknownPolicy e) {
                throw new ConfigException(file, e.kind().field(), e.name(), "is not a known " + e.kind().label() + "; known: " + e.known());
            }
            return settings;
        }

        private PlacementSettings placement(FleetFile.Scheduler s) {
            List<PlacementSettings.TaskShape> mix = new ArrayList<>();
            if (s.taskMix() != null) {
                for (int i = 0; i < s.taskMix().size(); i++) {
                    FleetFile.TaskClass t = s.taskMix().get(i);
                    String tp = "scheduler.taskMix[" + i + "]";
                    int gpus = t.gpus() == null ? 1 : t.gpus();
                    int milli = t.gpuMilli() == null ? (gpus == 0 ? 0 : 1000) : t.gpuMilli();
                    try {
                        mix.add(new PlacementSettings.TaskShape(t.cpuMilli() == null ? 0 : t.cpuMilli(), gpus, milli, t.models(),
                                t.count() == null ? 1 : t.count()));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(file, tp, t, e.getMessage());
                    }
                }
            }
            try {
                return new PlacementSettings(s.placement() == null ? "nuri" : s.placement(), s.placementSeed() == null ? 0 : s.placementSeed(), mix);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, "scheduler.placement", s.placement(), e.getMessage());
            }
        }
    }
}
