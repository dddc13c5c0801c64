package kr.nuri.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.core.state.StateView;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantPolicy;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.server.journal.AuditLog;
import kr.nuri.server.journal.Database;
import kr.nuri.server.journal.Journal;
import kr.nuri.server.loop.EventObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet file is the initial state. The engine is built with the quotas, policies and awards the journal began with
 * ({@code genesis}), so that replaying it gives what it gave; what the file changed since the last start ({@code last})
 * becomes commands — set quota, set policy, grant or revise an award — journaled and audited like an operator's.
 * Tenants and weights come from the file (a tenant the journal needs and the file lacks is refused by {@link Identities}).
 */
final class Tenancy {
    private static final Logger log = LoggerFactory.getLogger(Tenancy.class);
    /** The tenancy of a fleet file: tenants with their quotas and policies, and awards. */
    record Book(List<TenantSpec> tenants, List<AwardSpec> awards) {
        static Book of(EngineConfig c) {
            return new Book(c.tenants(), c.awards());
        }
    }

    /** One change the file makes, with what the audit trail says of it. */
    record Change(Command command, String action, String target, String before, String after) {}

    private final Database db;
    private final JsonMapper json;
    private final Book file;
    private final Book genesis;
    private final Book last;
    private final boolean genesisStored;

    private Tenancy(Database db, JsonMapper json, Book file, Book genesis, Book last, boolean genesisStored) {
        this.db = db;
        this.json = json;
        this.file = file;
        this.genesis = genesis;
        this.last = last;
        this.genesisStored = genesisStored;
    }

    static Tenancy open(Database db, JsonMapper json, EngineConfig config) {
        Book file = Book.of(config);
        Book genesis = load(db, json, "genesis");
        // A store of a build before this one began with the file as it is now, as that build assumed.
        boolean stored = genesis != null;
        if (genesis == null) genesis = file;
        Book last = load(db, json, "last");
        return new Tenancy(db, json, file, genesis, last == null ? genesis : last, stored);
    }

    private static Book load(Database db, JsonMapper json, String name) {
        String body = db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM tenancy WHERE name = :n").bind("n", name)
                .mapTo(String.class).findOne().orElse(null));
        return body == null ? null : json.readValue(body, Book.class);
    }

    private void save(String name, Book book) {
        String body = json.writeValueAsString(book);
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM tenancy WHERE name = :n").bind("n", name).execute();
            h.createUpdate("INSERT INTO tenancy (name, body) VALUES (:n, :b)").bind("n", name).bind("b", body).execute();
        });
    }

    /** The engine's config: the file's fleet, tenants and settings, with the quotas, policies and awards the journal began with. */
    EngineConfig engineConfig(EngineConfig config) {
        Map<String, TenantSpec> began = new HashMap<>();
        for (TenantSpec t : genesis.tenants()) began.put(t.name(), t);
        List<TenantSpec> tenants = new ArrayList<>();
        for (TenantSpec t : config.tenants()) {
            TenantSpec g = began.get(t.name());
            // A quota on a model the fleet no longer has holds nothing (a journal that used the model is refused by Identities).
            List<QuotaSpec> quotas = g == null ? List.of() : g.quotas().stream().filter(q -> config.fleet().modelIndex(q.model()) >= 0 || config.fleet().poolIndex(q.model()) >= 0)
                    // Before pools, an isolated tenant's file entries held a marker per model (nominal 0, lending 0): isolation is now
                    // the tenant's own, and a model's several pools would make the marker ambiguous.
                    .filter(q -> !(t.isolated() && isolationMarker(q)))
                    .toList();
            tenants.add(g == null ? new TenantSpec(t.name(), t.parent(), t.weight(), List.of(), null, t.isolated())
                    : new TenantSpec(t.name(), t.parent(), t.weight(), quotas, g.policy(), t.isolated()));
        }
        for (AwardSpec a : genesis.awards()) {
            if (tenants.stream().noneMatch(t -> t.name().equals(a.tenant()))) {
                throw new IllegalStateException("award " + a.id() + " was granted to tenant " + a.tenant()
                        + ", which the fleet file no longer has. Put the tenant back in the file.");
            }
            if (a.model() != null && config.fleet().modelIndex(a.model()) < 0 && config.fleet().poolIndex(a.model()) < 0) {
                throw new IllegalStateException("award " + a.id() + " pays for " + a.model() + " GPUs, which the fleet file no longer has. "
                        + "Put the model's nodes back in the file.");
            }
        }
        return new EngineConfig(config.fleet(), tenants, config.classes(), genesis.awards(), config.fairShareHalfLife(),
                config.scheduler(), config.assertions());
    }

    /**
     * What the file changed since the last start, as commands at {@code time}: policies, then quotas (raised top-down,
     * lowered bottom-up, so that each fits its parent as it is applied), then awards.
     */
    List<Change> changes(long time, TenantTree tree) {
        List<Change> out = new ArrayList<>();
        Map<String, TenantSpec> before = new HashMap<>();
        for (TenantSpec t : last.tenants()) before.put(t.name(), t);
        List<Change> raised = new ArrayList<>();
        List<Change> lowered = new ArrayList<>();
        for (TenantSpec t : file.tenants()) {
            TenantSpec was = before.get(t.name());
            TenantPolicy oldPolicy = was == null ? TenantPolicy.INHERIT : was.policy();
            if (!oldPolicy.equals(t.policy())) {
                out.add(new Change(new Command.SetTenantPolicy(time, t.name(), t.policy()), "tenant.policy", t.name(),
                        oldPolicy.text(), t.policy().text()));
            }
            Map<String, QuotaSpec> oldQuotas = quotas(was, t.isolated());
            Map<String, QuotaSpec> newQuotas = quotas(t, t.isolated());
            java.util.Set<String> models = new java.util.TreeSet<>(oldQuotas.keySet());
            models.addAll(newQuotas.keySet());
            for (String m : models) {
                QuotaSpec o = oldQuotas.getOrDefault(m, new QuotaSpec(m, 0, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED));
                QuotaSpec n = newQuotas.getOrDefault(m, new QuotaSpec(m, 0, QuotaSpec.UNLIMITED, QuotaSpec.UNLIMITED));
                if (o.equals(n)) continue;
                Change c = new Change(new Command.SetQuota(time, t.name(), m, n.nominal(), n.borrowingLimit(), n.lendingLimit()), "quota.set",
                        t.name() + "/" + m, o.text(), n.text());
                (n.nominal() >= o.nominal() ? raised : lowered).add(c);
            }
        }
        Comparator<Change> depth = Comparator.comparingInt(c -> depth(tree, c.target().split("/")[0]));
        raised.sort(depth);
        lowered.sort(depth.reversed());
        out.addAll(raised);
        out.addAll(lowered);
        Map<String, AwardSpec> granted = new HashMap<>();
        for (AwardSpec a : last.awards()) granted.put(a.id(), a);
        for (AwardSpec a : file.awards()) {
            AwardSpec was = granted.get(a.id());
            if (was == null) {
                out.add(new Change(new Command.GrantAward(time, a), "award.grant", a.id(), null, a.toString()));
            } else if (!was.equals(a)) {
                if (!Objects.equals(was.tenant(), a.tenant()) || was.kind() != a.kind() || !Objects.equals(was.model(), a.model())
                        || was.gpus() != a.gpus() || was.from() != a.from()) {
                    throw new IllegalStateException("the fleet file changes award " + a.id() + "'s tenant, kind, model, GPUs or start; a granted "
                            + "award changes only its budget and end. Keep it as it was and grant a new award under a new id.");
                }
                out.add(new Change(new Command.ReviseAward(time, a.id(), a.budgetGpuSeconds(), a.to()), "award.revise", a.id(),
                        "budgetGpuSeconds=" + was.budgetGpuSeconds() + " to=" + was.to(), "budgetGpuSeconds=" + a.budgetGpuSeconds() + " to=" + a.to()));
            }
        }
        return out;
    }

    private static int depth(TenantTree tree, String name) {
        int d = 0;
        for (int t = tree.index(name); t >= 0; t = tree.parent(t)) d++;
        return d;
    }

    /** A tenant's quotas by model or pool; for an {@code isolated} tenant without the per-model markers of builds before pools. */
    private static Map<String, QuotaSpec> quotas(TenantSpec t, boolean isolated) {
        Map<String, QuotaSpec> m = new HashMap<>();
        if (t != null) {
            for (QuotaSpec q : t.quotas()) {
                if (isolated && isolationMarker(q)) continue;
                m.put(q.model().toUpperCase(java.util.Locale.ROOT), q);
            }
        }
        return m;
    }

    /** What builds before pools wrote for an isolated tenant per GPU model it had no quota on: lend nothing. */
    private static boolean isolationMarker(QuotaSpec q) {
        return q.nominal() == 0 && q.borrowingLimit() == QuotaSpec.UNLIMITED && q.lendingLimit() == 0;
    }

    /** The events of the fleet file's changes, decided on the engine, with their audit entries: appended by {@link #append}. */
    record Decided(List<Event> events, List<AuditLog.Entry> audits) {
        /** Journals the events in one group with their audit entries, and shows them to the observers. */
        void append(Journal journal, Engine engine, List<EventObserver> observers, long nowMillis) {
            if (events.isEmpty()) return;
            journal.append(List.of(new Journal.Group(events, null)), audits, nowMillis);
            for (Event e : events) {
                for (EventObserver ob : observers) ob.observe(e, engine);
            }
        }
    }

    /**
     * What the fleet file changed since the last start (quotas, policies, awards), applied to the engine as commands and
     * logged; a change the engine refuses refuses the start, nothing written.
     */
    Decided decide(Engine engine, AuditLog audit, long nowMillis) {
        long time = Math.max(engine.state().now(), nowMillis / 1000);
        List<Change> changes = changes(time, engine.state().tenants());
        List<Event> events = new ArrayList<>();
        List<AuditLog.Entry> audits = new ArrayList<>();
        for (Change c : changes) {
            // Already so (a start that stopped between journaling these and recording the file, or the same change made
            // through the API): nothing to do.
            if (alreadyApplied(c.command(), engine.state())) continue;
            Result r = engine.apply(c.command());
            if (!r.accepted()) {
                throw new IllegalStateException("the fleet file changes " + c.target() + " (" + c.before() + " → " + c.after() + "), which is refused: "
                        + r.rejection().message() + " [" + r.rejection().field() + " = " + r.rejection().value() + "]. Nothing was applied; fix the file.");
            }
            events.addAll(r.events());
            audits.add(audit.entry(nowMillis, "fleet-file", "OPERATOR", null, c.action(), c.target(), c.before(), c.after()));
            log.info("fleet file change: {} {}: {} -> {}", c.action(), c.target(), c.before(), c.after());
        }
        return new Decided(events, audits);
    }

    private static boolean alreadyApplied(Command c, StateView st) {
        return switch (c) {
            case Command.SetQuota q -> {
                int t = st.tenants().index(q.tenant());
                int m = t < 0 ? -1 : st.pools().find(t, q.model());
                yield t >= 0 && m >= 0 && st.quota().nominal(t, m) == q.nominal() && st.quota().borrowingLimit(t, m) == q.borrowingLimit()
                        && st.quota().lendingLimit(t, m) == q.lendingLimit();
            }
            case Command.SetTenantPolicy p -> {
                int t = st.tenants().index(p.tenant());
                yield t >= 0 && st.policies().own(t).equals(p.policy());
            }
            case Command.GrantAward g -> st.awards().index(g.award().id()) >= 0
                    && st.awards().get(st.awards().index(g.award().id())).equals(g.award());
            case Command.ReviseAward r -> {
                int a = st.awards().index(r.awardId());
                yield a >= 0 && st.awards().get(a).budgetGpuSeconds() == r.budgetGpuSeconds() && st.awards().get(a).to() == r.to();
            }
            default -> false;
        };
    }

    /** Records the genesis (once) and the file as the last start saw it; call after the changes are journaled. */
    void commit() {
        if (!genesisStored) save("genesis", genesis);
        save("last", file);
    }
}
