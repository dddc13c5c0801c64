package kr.nuri.server.api;

import kr.nuri.server.usage.Charges;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.state.StateView;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantPolicy;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;

/** The quota tree (tenants, quotas per GPU model, usage) and awards (create, revise, budget left). */
final class TenantsApi {
    private static final Set<Role> ALL = Set.of(Role.values());
    private static final Set<Role> PROGRAMMES = Set.of(Role.OPERATOR, Role.PROGRAMME_MANAGER);
    private static final double MAX_GPU_HOURS = 1e10;
    private final ApiContext api;

    TenantsApi(ApiContext api) {
        this.api = api;
    }

    List<ApiRoute> routes() {
        return List.of(
                new ApiRoute(GET, "/api/v1/tenants", ALL, "The quota tree you may see, with quotas and usage per pool (an owner's GPUs of one model)", null, this::list),
                new ApiRoute(GET, "/api/v1/tenants/{name}", ALL, "One tenant", null, this::get),
                new ApiRoute(POST, "/api/v1/tenants", PROGRAMMES, "Create an organisation or a project under a tenant (no quota yet; its parent's "
                        + "policy), journaled like every change", "CreateTenantRequest", this::create),
                new ApiRoute(PUT, "/api/v1/tenants/{name}/quotas/{model}", PROGRAMMES, "Set a tenant's quota on one pool: a pool name (B200@naicc) or a GPU model (the pool of it its line owns)", "QuotaRequest", this::setQuota),
                new ApiRoute(PUT, "/api/v1/tenants/{name}/policy", PROGRAMMES, "Set a tenant's policy (inherited by its subtree): priority "
                        + "classes with their longest walltimes, whether its jobs need an award", "PolicyRequest", this::setPolicy),
                new ApiRoute(POST, "/api/v1/tenants/{name}/retire", PROGRAMMES, "Retire a tenant: its subtree takes no new jobs; "
                        + "its jobs go on, or are cancelled with cancelJobs", "RetireRequest", ctx -> retire(ctx, true)),
                new ApiRoute(POST, "/api/v1/tenants/{name}/reinstate", PROGRAMMES, "Reinstate a retired tenant", null, ctx -> retire(ctx, false)),
                new ApiRoute(GET, "/api/v1/awards", ALL, "Awards you may see, with budget used and left", null, this::awards),
                new ApiRoute(GET, "/api/v1/awards/{id}", ALL, "One award", null, this::award),
                new ApiRoute(POST, "/api/v1/awards", PROGRAMMES, "Grant an award (GPU-hour budget or dedicated GPUs)", "AwardRequest", this::grant),
                new ApiRoute(PATCH, "/api/v1/awards/{id}", PROGRAMMES, "Top up or claw back an award (budget, end)", "ReviseRequest", this::revise),
                new ApiRoute(POST, "/api/v1/awards/{id}/end", PROGRAMMES, "End an award now: no new job charges it (its running jobs go on)", null,
                        this::end));
    }

    record QuotaRequest(Integer nominal, Integer borrowingLimit, Integer lendingLimit) {}

    record AwardRequest(String id, String tenant, String kind, String model, Double gpuHours, Integer gpus, String from, String to) {}

    record ReviseRequest(Double gpuHours, String to) {}

    record RetireRequest(Boolean cancelJobs) {}

    /** {@code weight}: its fair-share weight among its siblings (1 when absent); {@code isolated}: its subtree lends nothing outside it. */
    record CreateTenantRequest(String name, String parent, Double weight, Boolean isolated) {}

    /** Null fields are inherited from the parent; {@code classes}: priority class → the longest walltime in hours (0 = the class's own). */
    record PolicyRequest(Boolean awardRequired, Boolean unawardedScavengers, java.util.Map<String, Double> classes) {}

    private void list(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            List<Views.TenantView> out = new ArrayList<>();
            Charges charges = Charges.at(st, s.now());
            for (int t = 0; t < st.tenants().size(); t++) {
                if (api.access.seesTenant(p, t)) out.add(Views.tenant(st, t, charges));
            }
            return out;
        }));
    }

    private int visibleTenant(StateView st, Principal p, String name) {
        int t = st.tenants().index(name);
        if (t < 0 || !api.access.seesTenant(p, t)) throw Problem.notFound("tenant", name);
        return t;
    }

    private void get(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String name = ctx.pathParam("name");
        ctx.json(api.call(s -> Views.tenant(s.engine().state(), visibleTenant(s.engine().state(), p, name), Charges.at(s.engine().state(), s.now()))));
    }

    private void setQuota(Context ctx) {
        String name = ctx.pathParam("name");
        String model = ctx.pathParam("model");
        QuotaRequest r = api.body(ctx, QuotaRequest.class);
        if (r.nominal() == null || r.nominal() < 0) throw Problem.badRequest("nominal", r.nominal(), "nominal must be 0 or more GPUs");
        int borrow = limit("borrowingLimit", r.borrowingLimit());
        int lend = limit("lendingLimit", r.lendingLimit());
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int t = st.tenants().index(name);
            if (t < 0) throw Problem.notFound("tenant", name);
            int m = st.pools().find(t, model);
            String before = m < 0 ? null : new QuotaSpec(model, st.quota().nominal(t, m), st.quota().borrowingLimit(t, m), st.quota().lendingLimit(t, m)).text();
            ApiContext.accepted(s.apply(time -> new Command.SetQuota(time, name, model, r.nominal(), borrow, lend)));
            s.audit(api.act(ApiContext.principal(ctx), "quota.set", name + "/" + model, before, new QuotaSpec(model, r.nominal(), borrow, lend).text()));
            return Views.tenant(st, t, Charges.at(st, s.now()));
        }));
    }

    private void setPolicy(Context ctx) {
        String name = ctx.pathParam("name");
        PolicyRequest r = api.body(ctx, PolicyRequest.class);
        java.util.Map<String, Long> classes = null;
        if (r.classes() != null) {
            classes = new java.util.TreeMap<>();
            for (var e : r.classes().entrySet()) {
                Identifiers.check("classes", e.getKey());
                Double hours = e.getValue();
                if (hours == null || !Double.isFinite(hours) || hours < 0 || hours > MAX_GPU_HOURS) {
                    throw Problem.badRequest("classes." + e.getKey(), hours, "the longest walltime must be 0 (the class's own) or more hours");
                }
                classes.put(e.getKey(), Math.round(hours * 3600));
            }
        }
        TenantPolicy policy = TenantPolicy.of(r.awardRequired(), r.unawardedScavengers(), classes);
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int t = st.tenants().index(name);
            if (t < 0) throw Problem.notFound("tenant", name);
            String before = st.policies().own(t).text();
            ApiContext.accepted(s.apply(time -> new Command.SetTenantPolicy(time, name, policy)));
            s.audit(api.act(ApiContext.principal(ctx), "tenant.policy", name, before, policy.text()));
            return Views.tenant(st, t, Charges.at(st, s.now()));
        }));
    }

    private void create(Context ctx) {
        CreateTenantRequest r = api.body(ctx, CreateTenantRequest.class);
        if (r.name() == null) throw Problem.badRequest("name", null, "name is required: the new tenant's name");
        if (r.parent() == null) throw Problem.badRequest("parent", null, "parent is required: the sector or organisation it belongs to");
        double weight = r.weight() == null ? 1 : r.weight();
        boolean isolated = Boolean.TRUE.equals(r.isolated());
        ctx.status(201).json(api.call(s -> {
            ApiContext.accepted(s.apply(time -> new Command.CreateTenant(time, r.name(), r.parent(), weight, isolated)));
            s.audit(api.act(ApiContext.principal(ctx), "tenant.create", r.name(), null,
                    "parent=" + r.parent() + " weight=" + weight + " isolated=" + isolated));
            StateView st = s.engine().state(); // the engine rebuilt its state with the tenant in the tree
            return Views.tenant(st, st.tenants().index(r.name()), Charges.at(st, s.now()));
        }));
        ctx.header("Location", "/api/v1/tenants/" + r.name());
    }

    private void retire(Context ctx, boolean retire) {
        String name = ctx.pathParam("name");
        boolean cancel = retire && Boolean.TRUE.equals(api.body(ctx, RetireRequest.class).cancelJobs());
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int t = st.tenants().index(name);
            if (t < 0) throw Problem.notFound("tenant", name);
            String before = st.policies().retired(t) ? "retired" : "active";
            ApiContext.accepted(s.apply(time -> new Command.RetireTenant(time, name, retire, cancel)));
            s.audit(api.act(ApiContext.principal(ctx), retire ? "tenant.retire" : "tenant.reinstate", name, before,
                    retire ? (cancel ? "retired, its jobs cancelled" : "retired, its jobs go on") : "active"));
            return Views.tenant(st, t, Charges.at(st, s.now()));
        }));
    }

    /** A limit: absent or -1 means none. */
    private static int limit(String field, Integer v) {
        if (v == null) return -1;
        if (v < -1) throw Problem.badRequest(field, v, field + " must be -1 (no limit) or 0 or more GPUs");
        return v;
    }

    private boolean seesAward(StateView st, Principal p, AwardSpec a) {
        return api.access.seesAward(p, st.tenants().index(a.tenant()));
    }

    private void awards(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            List<Views.AwardView> out = new ArrayList<>();
            Charges charges = Charges.at(st, s.now());
            for (int a = 0; a < st.awards().size(); a++) {
                if (seesAward(st, p, st.awards().get(a))) out.add(Views.award(st, a, s.now(), charges));
            }
            return out;
        }));
    }

    private void award(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int a = st.awards().index(id);
            if (a < 0 || !seesAward(st, p, st.awards().get(a))) throw Problem.notFound("award", id);
            return Views.award(st, a, s.now(), Charges.at(st, s.now()));
        }));
    }

    private void grant(Context ctx) {
        AwardRequest r = api.body(ctx, AwardRequest.class);
        Identifiers.check("id", r.id());
        Identifiers.check("tenant", r.tenant());
        Identifiers.check("model", r.model());
        if (r.id() == null || r.id().isBlank() || r.id().length() > 128) throw Problem.badRequest("id", r.id(), "id must have 1 to 128 characters");
        if (r.kind() == null) throw Problem.badRequest("kind", null, "kind is required: budget or dedicated");
        AwardSpec.Kind kind;
        try {
            kind = AwardSpec.Kind.valueOf(r.kind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("kind", r.kind(), "kind must be budget or dedicated");
        }
        long budget = kind == AwardSpec.Kind.BUDGET ? gpuSeconds("gpuHours", r.gpuHours()) : 0;
        int gpus = kind == AwardSpec.Kind.DEDICATED ? (r.gpus() == null ? -1 : r.gpus()) : 0;
        if (kind == AwardSpec.Kind.DEDICATED && gpus <= 0) throw Problem.badRequest("gpus", r.gpus(), "a dedicated award needs gpus > 0");
        long from = ApiContext.parseTime("from", r.from());
        long to = ApiContext.parseTime("to", r.to());
        if (to <= from) throw Problem.badRequest("to", r.to(), "to must be after from (" + r.from() + ")");
        AwardSpec spec = new AwardSpec(r.id(), r.tenant(), kind, r.model(), budget, gpus, from, to);
        ctx.status(201).json(api.call(s -> {
            ApiContext.accepted(s.apply(t -> new Command.GrantAward(t, spec)));
            s.audit(api.act(ApiContext.principal(ctx), "award.grant", spec.id(), null, spec.toString()));
            StateView st = s.engine().state();
            return Views.award(st, st.awards().index(spec.id()), s.now(), Charges.at(st, s.now()));
        }));
    }

    private void revise(Context ctx) {
        String id = ctx.pathParam("id");
        ReviseRequest r = api.body(ctx, ReviseRequest.class);
        Long to = r.to() == null ? null : ApiContext.parseTime("to", r.to());
        Long budget = r.gpuHours() == null ? null : gpuSeconds("gpuHours", r.gpuHours());
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int a = st.awards().index(id);
            if (a < 0) throw Problem.notFound("award", id);
            AwardSpec cur = st.awards().get(a);
            long b = budget != null ? budget : cur.budgetGpuSeconds();
            long end = to != null ? to : cur.to();
            String before = "budgetGpuSeconds=" + cur.budgetGpuSeconds() + " to=" + Views.time(cur.to());
            ApiContext.accepted(s.apply(t -> new Command.ReviseAward(t, id, b, end)));
            s.audit(api.act(ApiContext.principal(ctx), "award.revise", id, before, "budgetGpuSeconds=" + b + " to=" + Views.time(end)));
            return Views.award(st, a, s.now(), Charges.at(st, s.now()));
        }));
    }

    private void end(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            int a = st.awards().index(id);
            if (a < 0) throw Problem.notFound("award", id);
            AwardSpec cur = st.awards().get(a);
            if (cur.to() > s.now()) {
                String before = "to=" + Views.time(cur.to());
                // Its window closes now (or one second after it opened, for one that has not begun): a revision of its end.
                ApiContext.accepted(s.apply(t -> new Command.ReviseAward(t, id, cur.budgetGpuSeconds(), Math.max(t, cur.from() + 1))));
                s.audit(api.act(ApiContext.principal(ctx), "award.end", id, before, "to=" + Views.time(st.awards().get(a).to())));
            }
            return Views.award(st, a, s.now(), Charges.at(st, s.now()));
        }));
    }

    private static long gpuSeconds(String field, Double hours) {
        if (hours == null || !Double.isFinite(hours) || hours <= 0 || hours > MAX_GPU_HOURS) {
            throw Problem.badRequest(field, hours, field + " must be more than 0 and at most " + (long) MAX_GPU_HOURS);
        }
        return Math.round(hours * 3600);
    }
}
