package kr.nuri.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import kr.nuri.core.command.Command;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.server.auth.Principal;
import kr.nuri.core.state.StateView;
import kr.nuri.server.auth.Role;

/** The fleet: nodes with health and allocation, a sinfo-like summary, and operators' node actions. */
final class FleetApi {
    private static final Set<Role> ALL = Set.of(Role.values());
    private static final Set<Role> OPERATORS = Set.of(Role.OPERATOR);
    private final ApiContext api;

    FleetApi(ApiContext api) {
        this.api = api;
    }

    List<ApiRoute> routes() {
        return List.of(
                new ApiRoute(GET, "/api/v1/nodes", ALL, "Nodes with health and free GPUs (filters: site, model, health; limit, offset)", null, this::list)
                        .withQuery("site", "model", "health", "limit", "offset"),
                new ApiRoute(GET, "/api/v1/pools", ALL, "Pools (an owner's GPUs of one model): capacity, guaranteed, used by the owner's line, lent now",
                        null, this::pools),
                new ApiRoute(GET, "/api/v1/nodes/summary", ALL, "Node counts by site, model, health and allocation (like sinfo)", null, this::summary),
                new ApiRoute(GET, "/api/v1/nodes/{name}", ALL, "One node", null, this::get),
                new ApiRoute(POST, "/api/v1/nodes/{name}/down", OPERATORS, "Mark a node down: its jobs end (requeued if they allow)", null,
                        ctx -> act(ctx, n -> t -> new Command.NodeDown(t, n))),
                new ApiRoute(POST, "/api/v1/nodes/{name}/up", OPERATORS, "Mark a node healthy", null, ctx -> act(ctx, n -> t -> new Command.NodeUp(t, n))),
                new ApiRoute(POST, "/api/v1/nodes/{name}/drain", OPERATORS, "Drain a node: running jobs go on, nothing new starts (body, "
                        + "optional: {\"reason\": …})", "DrainRequest", ctx -> {
                            String reason = ctx.bodyAsBytes().length == 0 ? null : api.body(ctx, DrainRequest.class).reason();
                            act(ctx, n -> t -> new Command.DrainNode(t, n, reason));
                        }),
                new ApiRoute(POST, "/api/v1/drain", OPERATORS, "Drain every node of a site, block or rack with a reason (down and retired "
                        + "nodes stay as they are)", "DomainRequest", ctx -> domain(ctx, true)),
                new ApiRoute(POST, "/api/v1/resume", OPERATORS, "Resume the drained nodes of a site, block or rack (down nodes stay down)",
                        "DomainRequest", ctx -> domain(ctx, false)),
                new ApiRoute(POST, "/api/v1/blocks", OPERATORS, "Add a block of nodes (racks × nodesPerRack nodes of gpusPerNode GPUs, named "
                        + "<block>-r<i>-n<j>) to a site, owned by a tenant: they take work at once", "BlockRequest", this::addBlock),
                new ApiRoute(PUT, "/api/v1/blocks/{name}/owner", OPERATORS, "Give a block that runs no job (drain it first) to another owner: its "
                        + "nodes move to that owner's pool", "OwnerRequest", this::setOwner),
                new ApiRoute(POST, "/api/v1/nodes/{name}/retire", OPERATORS, "Retire a drained (or down) node that holds no job: it takes no "
                        + "work again and its GPUs leave its pool", null, ctx -> act(ctx, n -> t -> new Command.RetireNode(t, n))));
    }

    record NodeList(List<Views.NodeView> nodes, int total) {}

    /** {@code owner}: a tenant (absent: no one, a pool every tenant may claim). */
    record BlockRequest(String site, String name, String model, String owner, Integer racks, Integer nodesPerRack, Integer gpusPerNode) {}

    record OwnerRequest(String owner) {}

    record DrainRequest(String reason) {}

    /** One of {@code site}, {@code block}, {@code rack}; {@code reason} for a drain (required there). */
    record DomainRequest(String site, String block, String rack, String reason) {}

    /** Drain (or resume) the nodes of one site, block or rack, in one batch, audited once with the reason. */
    private void domain(Context ctx, boolean drain) {
        DomainRequest r = api.body(ctx, DomainRequest.class);
        int given = (r.site() == null ? 0 : 1) + (r.block() == null ? 0 : 1) + (r.rack() == null ? 0 : 1);
        if (given != 1) throw Problem.badRequest("site", r.site(), "name exactly one of site, block or rack");
        if (drain && (r.reason() == null || r.reason().isBlank())) {
            throw Problem.badRequest("reason", r.reason(), "a drain says why (sinfo -R shows it): e.g. \"firmware upgrade\"");
        }
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            Fleet f = st.fleet();
            List<Integer> nodes = new ArrayList<>();
            for (int n = 0; n < f.nodeCount(); n++) {
                boolean in = r.site() != null ? f.siteName(f.siteOfNode(n)).equals(r.site())
                        : r.block() != null ? f.blockName(f.blockOfNode(n)).equals(r.block()) : f.rackName(f.rackOfNode(n)).equals(r.rack());
                var h = st.capacity().health(n);
                if (in && (drain ? h == kr.nuri.core.fleet.Health.UP || h == kr.nuri.core.fleet.Health.DRAIN : h == kr.nuri.core.fleet.Health.DRAIN)) nodes.add(n);
            }
            String what = r.site() != null ? "site " + r.site() : r.block() != null ? "block " + r.block() : "rack " + r.rack();
            if (nodes.isEmpty()) throw Problem.notFound(r.site() != null ? "site" : r.block() != null ? "block" : "rack", what + " (with nodes to "
                    + (drain ? "drain" : "resume") + ")");
            for (int n : nodes) {
                String name = f.nodeName(n);
                ApiContext.accepted(s.apply(t -> drain ? new Command.DrainNode(t, name, r.reason()) : new Command.NodeUp(t, name)));
            }
            s.audit(api.act(ApiContext.principal(ctx), drain ? "node.drain" : "node.resume", what + " (" + nodes.size() + " nodes)", null,
                    drain ? "DRAIN: " + r.reason() : "UP"));
            List<Views.NodeView> out = new ArrayList<>();
            for (int n : nodes) out.add(Views.node(s.engine().state(), n));
            return new NodeList(out, out.size());
        }));
    }

    /** What a block is as the audit trail shows it. */
    private static String blockText(Fleet f, int b) {
        return "site=" + f.siteName(f.siteOfBlock(b)) + " model=" + f.models().get(f.modelOfBlock(b)) + " owner=" + f.ownerOfBlock(b)
                + " nodes=" + (f.endNodeOfBlock(b) - f.firstNodeOfBlock(b)) + " gpus=" + f.gpusOfBlock(b);
    }

    private void addBlock(Context ctx) {
        BlockRequest r = api.body(ctx, BlockRequest.class);
        for (String[] field : new String[][] {{"site", r.site()}, {"name", r.name()}, {"model", r.model()}}) {
            if (field[1] == null) throw Problem.badRequest(field[0], null, field[0] + " is required");
        }
        if (r.racks() == null || r.nodesPerRack() == null || r.gpusPerNode() == null) {
            throw Problem.badRequest(r.racks() == null ? "racks" : r.nodesPerRack() == null ? "nodesPerRack" : "gpusPerNode", null,
                    "racks, nodesPerRack and gpusPerNode are required (e.g. 8, 4 and 8 for a 256-GPU HGX block)");
        }
        ctx.status(201).json(api.call(s -> {
            ApiContext.accepted(s.apply(t -> new Command.AddBlock(t, r.site(), r.name(), r.model(), r.owner(), r.racks(), r.nodesPerRack(), r.gpusPerNode())));
            Fleet f = s.engine().state().fleet(); // the engine rebuilt its state with the block in its fleet
            int b = f.blockIndex(r.name());
            s.audit(api.act(ApiContext.principal(ctx), "block.add", r.name(), null, blockText(f, b)));
            List<Views.NodeView> nodes = new ArrayList<>();
            for (int n = f.firstNodeOfBlock(b); n < f.endNodeOfBlock(b); n++) nodes.add(Views.node(s.engine().state(), n));
            return new NodeList(nodes, nodes.size());
        }));
    }

    private void setOwner(Context ctx) {
        String name = ctx.pathParam("name");
        OwnerRequest r = api.body(ctx, OwnerRequest.class);
        ctx.json(api.call(s -> {
            Fleet before = s.engine().state().fleet();
            int b = before.blockIndex(name);
            if (b < 0) throw Problem.notFound("block", name);
            String was = blockText(before, b);
            ApiContext.accepted(s.apply(t -> new Command.SetBlockOwner(t, name, r.owner())));
            Fleet f = s.engine().state().fleet();
            s.audit(api.act(ApiContext.principal(ctx), "block.owner", name, was, blockText(f, b)));
            List<Views.NodeView> nodes = new ArrayList<>();
            for (int n = f.firstNodeOfBlock(b); n < f.endNodeOfBlock(b); n++) nodes.add(Views.node(s.engine().state(), n));
            return new NodeList(nodes, nodes.size());
        }));
    }

    record SummaryRow(String site, String model, String health, String allocation, int nodes, long gpus, long freeGpus) {}

    /** The pools the caller may see ({@link FleetVisibility}): by default its own organisation's and those its projects may borrow from. */
    private void pools(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        ctx.json(api.call(s -> {
            List<Views.PoolView> all = Views.pools(s.engine().state());
            List<Views.PoolView> shown = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (api.access.seesPool(p, s.engine().state().pools(), i, all.get(i).owner())) shown.add(all.get(i));
            }
            return shown;
        }));
    }

    private String owner(Fleet f, int n) {
        return f.ownerOfBlock(f.blockOfNode(n));
    }

    private void list(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String site = ctx.queryParam("site");
        String model = ctx.queryParam("model");
        String health = ctx.queryParam("health");
        int limit = ApiContext.queryInt(ctx, "limit", 1_000, 1, 50_000);
        int offset = ApiContext.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            Fleet f = st.fleet();
            if (model != null && f.modelIndex(model) < 0) throw Problem.badRequest("model", model, "no GPU model '" + model + "'. Maybe one of " + f.models() + "?");
            if (health != null && java.util.Arrays.stream(kr.nuri.core.fleet.Health.values()).noneMatch(h -> h.name().equalsIgnoreCase(health))) {
                throw Problem.badRequest("health", Identifiers.escaped(health), "health must be one of "
                        + java.util.Arrays.toString(kr.nuri.core.fleet.Health.values()).toLowerCase(java.util.Locale.ROOT));
            }
            if (site != null && java.util.stream.IntStream.range(0, f.siteCount()).noneMatch(i -> f.siteName(i).equals(site))) {
                throw Problem.badRequest("site", Identifiers.escaped(site), "no site '" + Identifiers.escaped(site) + "' in fleet " + f.name());
            }
            List<Views.NodeView> out = new ArrayList<>();
            int total = 0;
            for (int n = 0; n < f.nodeCount(); n++) {
                if (!api.access.seesNode(p, owner(f, n))) continue;
                if (site != null && !site.equals(f.siteName(f.siteOfNode(n)))) continue;
                if (model != null && f.modelOfNode(n) != f.modelIndex(model)) continue;
                if (health != null && !st.capacity().health(n).name().equalsIgnoreCase(health)) continue;
                if (total >= offset && out.size() < limit) out.add(Views.node(st, n));
                total++;
            }
            return new NodeList(out, total);
        }));
    }

    private void summary(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        ctx.json(api.call(s -> {
            StateView st = s.engine().state();
            Fleet f = st.fleet();
            Map<String, long[]> rows = new TreeMap<>();
            for (int n = 0; n < f.nodeCount(); n++) {
                if (!api.access.seesNode(p, owner(f, n))) continue;
                int free = st.capacity().free(n);
                String alloc = free == f.nodeGpus(n) ? "idle" : free == 0 ? "allocated" : "mixed";
                String key = f.siteName(f.siteOfNode(n)) + "\t" + f.models().get(f.modelOfNode(n)) + "\t"
                        + st.capacity().health(n).name().toLowerCase(Locale.ROOT) + "\t" + alloc;
                long[] r = rows.computeIfAbsent(key, k -> new long[3]);
                r[0]++;
                r[1] += f.nodeGpus(n);
                r[2] += free;
            }
            List<SummaryRow> out = new ArrayList<>();
            rows.forEach((k, v) -> {
                String[] c = k.split("\t");
                out.add(new SummaryRow(c[0], c[1], c[2], c[3], (int) v[0], v[1], v[2]));
            });
            return out;
        }));
    }

    private void get(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String name = ctx.pathParam("name");
        ctx.json(api.call(s -> {
            int n = s.engine().state().fleet().nodeIndex(name);
            if (n < 0 || !api.access.seesNode(p, owner(s.engine().state().fleet(), n))) throw Problem.notFound("node", name);
            return Views.node(s.engine().state(), n);
        }));
    }

    private void act(Context ctx, java.util.function.Function<String, LongFunction<Command>> command) {
        String name = ctx.pathParam("name");
        ctx.json(api.call(s -> {
            int n = s.engine().state().fleet().nodeIndex(name);
            if (n < 0) throw Problem.notFound("node", name);
            String before = s.engine().state().capacity().health(n).name();
            ApiContext.accepted(s.apply(command.apply(name)));
            s.audit(api.act(ApiContext.principal(ctx), "node." + ctx.path().substring(ctx.path().lastIndexOf('/') + 1), name, before,
                    s.engine().state().capacity().health(n).name()));
            return Views.node(s.engine().state(), n);
        }));
    }

}
