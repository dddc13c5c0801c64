package kr.nuri.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Rejection;
import kr.nuri.core.engine.Result;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;

/** Jobs: submit, list, get, cancel, hold, release, requeue, report completion. */
final class JobsApi {
    private static final Set<Role> SUBMITTERS = Set.of(Role.OPERATOR, Role.TENANT_ADMIN, Role.USER);
    private static final Set<Role> ALL = Set.of(Role.values());
    private final ApiContext api;

    /** Every run's placement, so that a finished job shows where it ran. */
    private final kr.nuri.server.usage.UsageLedger runs;

    private final kr.nuri.server.exec.Executions sites;

    JobsApi(ApiContext api, kr.nuri.server.usage.UsageLedger runs, kr.nuri.server.exec.Executions sites) {
        this.sites = sites;
        this.api = api;
        this.runs = runs;
    }

    List<ApiRoute> routes() {
        return List.of(
                new ApiRoute(POST, "/api/v1/jobs", SUBMITTERS, "Submit a job (a gang of GPUs)", "SubmitRequest", this::submit),
                new ApiRoute(GET, "/api/v1/jobs", ALL, "List jobs you may see (filters: state (or active, or finished), tenant, user, node "
                        + "(running on it), from and to (ended in [from, to), ISO-8601); limit, after)", null, this::list)
                        .withQuery("state", "tenant", "user", "node", "from", "to", "limit", "after"),
                new ApiRoute(GET, "/api/v1/jobs/{id}", ALL, "One job: pending reason and estimated start, or placement", null, this::get),
                new ApiRoute(POST, "/api/v1/jobs/{id}/cancel", SUBMITTERS, "Cancel a pending or running job", null, this::cancel),
                new ApiRoute(PATCH, "/api/v1/jobs/{id}", SUBMITTERS, "Change a waiting or running job's walltime (seconds): users and tenant "
                        + "admins may shorten it, operators also lengthen it", "UpdateRequest", this::update),
                new ApiRoute(POST, "/api/v1/jobs/{id}/hold", SUBMITTERS, "Hold a waiting job: it keeps its place and is not considered until "
                        + "released (reason HELD)", null, ctx -> act(ctx, "hold", (t, id) -> new Command.HoldJob(t, id, true))),
                new ApiRoute(POST, "/api/v1/jobs/{id}/release", SUBMITTERS, "Release a held job", null,
                        ctx -> act(ctx, "release", (t, id) -> new Command.HoldJob(t, id, false), this::mayRelease)),
                new ApiRoute(POST, "/api/v1/jobs/{id}/requeue", SUBMITTERS, "Put a running job back in the queue at its old place (its run's "
                        + "work since its last checkpoint is lost)", null, ctx -> act(ctx, "requeue", Command.RequeueJob::new)),
                new ApiRoute(POST, "/api/v1/jobs/{id}/complete", SUBMITTERS, "Report that a running job finished", "CompleteRequest", this::complete));
    }

    /** What {@code POST /api/v1/jobs} takes; {@code nuri submit} builds it from sbatch-like options. */
    record SubmitRequest(String id, String name, String project, String user, String award, Integer gpus, Integer nodes,
                         Integer gpusPerNode, String gpuModel, List<String> gpuModels, String topology,
                         Boolean topologyRequired, String priority, Long walltime, Long runtime, Boolean preemptible,
                         Boolean requeue, Integer gpuMilli, Integer cpuMilli, Long memoryMib, String script, String workdir,
                         java.util.Map<String, String> environment, String output, String error) {}

    record CompleteRequest(Boolean success) {}

    record JobList(List<Views.JobView> jobs, int count, Long next) {}

    private void submit(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        SubmitRequest r = api.body(ctx, SubmitRequest.class);
        if (r.id() != null) {
            // A client-chosen id let one user make every later submission of every tenant collide with it.
            throw Problem.badRequest("id", Identifiers.escaped(r.id()), "job ids are given by the server. Maybe name the job with "
                    + "\"name\" (free, not unique), and send an Idempotency-Key header so that a retry does not run it twice?");
        }
        Identifiers.check("name", r.name());
        Identifiers.check("project", r.project());
        Identifiers.check("user", r.user());
        Identifiers.check("award", r.award());
        Identifiers.check("gpuModel", r.gpuModel());
        if (r.gpuModels() != null) r.gpuModels().forEach(m -> Identifiers.check("gpuModels", m));
        Identifiers.check("priority", r.priority());
        Identifiers.check("topology", r.topology());
        String key = Identifiers.check("Idempotency-Key", ctx.header("Idempotency-Key"));
        api.respond(ctx, 201, s -> {
            Engine e = s.engine();
            int project = e.state().tenants().index(r.project() == null ? "" : r.project());
            // A project the caller may not see answers exactly as one that does not exist (no existence oracle).
            if (project < 0 || !api.access.seesTenant(p, project)) {
                throw new Problem(400, "unknown-project", "project", r.project(), "no project '" + r.project() + "'. Maybe check 'nuri quota'?");
            }
            if (!api.access.submitsTo(p, project)) throw Problem.forbidden("you may not submit to project '" + r.project() + "'");
            if (r.award() != null) {
                // An award the caller may not read is one it may not charge, and answers exactly as one that does not exist.
                int a = e.state().awards().index(r.award());
                if (a < 0 || !api.access.seesAward(p, e.state().tenants().index(e.state().awards().get(a).tenant()))) {
                    throw new Problem(400, "unknown-award", "award", r.award(), "no award '" + r.award() + "'");
                }
            }
            String owner = p.isOperator() && r.user() != null ? r.user() : p.user();
            Job earlier = key == null ? null : e.state().jobBySubmitKey(owner, key);
            if (earlier != null) return Views.ack(earlier, e); // a retry: the job its first attempt made, not a second one
            String id = "job-" + e.state().nextSeq();
            for (int n = 2; e.job(id) != null; n++) id = "job-" + e.state().nextSeq() + "-" + n; // ids an older build let clients choose
            JobSpec spec = spec(r, id, p, key);
            Result result = s.apply(t -> new Command.SubmitJob(t, spec));
            acceptedSubmission(result, r);
            Result.Submitted submitted = result.submitted();
            if (submitted.state() == JobState.PENDING && submitted.estimatedStart() < 0) s.wantEstimatesSoon();
            return Views.ack(submitted, e);
        }, ack -> ctx.header("Location", "/api/v1/jobs/" + ack.id()));
    }

    /** A refused submission, naming the field of the request that became the engine's (members, gpusPerMember…). */
    private static void acceptedSubmission(Result result, SubmitRequest r) {
        if (result.accepted()) return;
        Rejection x = result.rejection();
        String field = switch (x.field() == null ? "" : x.field()) {
            case "members" -> r.nodes() != null ? "nodes" : "gpus";
            case "gpusPerMember" -> r.gpusPerNode() != null ? "gpusPerNode" : "gpus";
            case "models" -> r.gpuModels() != null ? "gpuModels" : "gpuModel";
            case "priorityClass" -> "priority";
            case "jobId" -> "id";
            default -> x.field();
        };
        throw Problem.of(new Rejection(x.code(), field, x.value(), x.message()));
    }

    private static JobSpec spec(SubmitRequest r, String id, Principal p, String submitKey) {
        if (r.gpuModel() != null && r.gpuModels() != null) {
            throw Problem.badRequest("gpuModels", String.join(",", r.gpuModels()), "give gpuModel or gpuModels, not both");
        }
        if (r.gpuMilli() != null && (r.gpuMilli() < 0 || r.gpuMilli() >= JobSpec.WHOLE_GPU)) {
            throw Problem.badRequest("gpuMilli", r.gpuMilli(), "gpuMilli is a share of one GPU, 1 to 999 thousandths. Maybe leave it out "
                    + "for whole GPUs?");
        }
        // Each number is checked under its own name before they are combined into members × GPUs per member.
        if (r.gpus() != null && r.gpus() < 0) throw Problem.badRequest("gpus", r.gpus(), "gpus must be 0 (CPU only) or more");
        if (r.nodes() != null && r.nodes() < 1) throw Problem.badRequest("nodes", r.nodes(), "nodes must be at least 1");
        if (r.gpusPerNode() != null && r.gpusPerNode() < 1) {
            throw Problem.badRequest("gpusPerNode", r.gpusPerNode(), "gpusPerNode must be at least 1. Maybe leave it out for a CPU-only job?");
        }
        int members;
        int perMember;
        if (r.nodes() != null || r.gpusPerNode() != null) {
            if (r.gpusPerNode() != null && r.nodes() != null) {
                members = r.nodes();
                perMember = r.gpusPerNode();
                if (r.gpus() != null && (long) members * perMember != r.gpus()) {
                    throw Problem.badRequest("gpus", r.gpus(), "gpus must equal nodes × gpusPerNode = " + (long) members * perMember
                            + ". Maybe leave gpus out?");
                }
            } else if (r.gpus() == null) {
                throw Problem.badRequest(r.nodes() == null ? "nodes" : "gpusPerNode", null,
                        "give gpus with nodes or gpusPerNode, or both nodes and gpusPerNode");
            } else {
                int split = r.nodes() != null ? r.nodes() : r.gpusPerNode();
                if (r.gpus() <= 0 || r.gpus() % split != 0) {
                    throw Problem.badRequest("gpus", r.gpus(), "gpus must divide evenly by " + (r.nodes() != null ? "nodes" : "gpusPerNode")
                            + "=" + split);
                }
                members = r.nodes() != null ? split : r.gpus() / split;
                perMember = r.nodes() != null ? r.gpus() / split : split;
            }
        } else {
            if (r.gpus() == null) throw Problem.badRequest("gpus", null, "gpus is required (total GPUs of the gang)");
            if (r.gpus() > 8 && (r.gpuMilli() == null || r.gpuMilli() == 0)) {
                throw Problem.badRequest("gpusPerNode", null, "a gang of " + r.gpus() + " GPUs must say how it spreads over nodes. "
                        + "Maybe gpusPerNode=8?");
            }
            members = 1;
            perMember = r.gpus();
        }
        List<String> models = r.gpuModels() != null ? r.gpuModels() : r.gpuModel() != null ? List.of(r.gpuModel()) : List.of();
        Level level = Level.FLEET;
        if (r.topology() != null) {
            try {
                level = Level.valueOf(r.topology().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("topology", r.topology(), "topology must be one of node, rack, block, site, fleet");
            }
        }
        String user = p.isOperator() && r.user() != null ? r.user() : p.user();
        return new JobSpec(id, r.project(), user, r.award(), members, perMember, models, level,
                r.topologyRequired() == null || r.topologyRequired(), r.priority() == null ? "training" : r.priority(),
                r.walltime() == null ? 0 : r.walltime(), r.preemptible(), r.requeue() == null || r.requeue(),
                r.runtime() == null ? 0 : r.runtime(), r.gpuMilli() == null ? 0 : r.gpuMilli(), r.cpuMilli() == null ? 0 : r.cpuMilli(),
                r.memoryMib() == null ? 0 : r.memoryMib(), r.name(), submitKey,
                LaunchRequest.of(r.script(), r.workdir(), r.environment(), r.output(), r.error()));
    }

    private void list(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String stateText = ctx.queryParam("state");
        JobState state = null;
        boolean activeOnly = "active".equalsIgnoreCase(stateText);
        boolean finishedOnly = "finished".equalsIgnoreCase(stateText);
        if (stateText != null && !activeOnly && !finishedOnly) {
            try {
                state = JobState.valueOf(stateText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("state", stateText, "state must be active, finished or one of " + List.of(JobState.values()));
            }
        }
        Long fromQ = ctx.queryParam("from") == null ? null : ApiContext.parseTime("from", ctx.queryParam("from"));
        Long toQ = ctx.queryParam("to") == null ? null : ApiContext.parseTime("to", ctx.queryParam("to"));
        if (fromQ != null && toQ != null && toQ <= fromQ) throw Problem.badRequest("to", ctx.queryParam("to"), "to must be after from");
        String tenant = ctx.queryParam("tenant");
        String user = ctx.queryParam("user");
        String node = ctx.queryParam("node");
        int limit = ApiContext.queryInt(ctx, "limit", 100, 1, 10_000);
        long after = ApiContext.queryInt(ctx, "after", -1, -1, Integer.MAX_VALUE);
        JobState wanted = state;
        api.respond(ctx, 200, s -> {
            Engine e = s.engine();
            int t = -1;
            if (tenant != null) {
                t = e.state().tenants().index(tenant);
                if (t < 0 || !api.access.seesTenant(p, t)) throw Problem.notFound("tenant", tenant);
            }
            int nodeIndex = node == null ? -1 : e.state().fleet().nodeIndex(node);
            if (node != null && nodeIndex < 0) throw Problem.badRequest("node", Identifiers.escaped(node), "no node '" + Identifiers.escaped(node) + "'");
            int within = t;
            List<Job> hits = new ArrayList<>();
            for (Job j : e.state().jobs()) {
                if (j.seq() <= after || (wanted != null && j.state() != wanted) || (activeOnly && j.state().isFinal())) continue;
                if (finishedOnly && !j.state().isFinal()) continue;
                if ((fromQ != null || toQ != null) && (!j.state().isFinal() || (fromQ != null && j.endTime() < fromQ) || (toQ != null && j.endTime() >= toQ))) continue;
                if (within >= 0 && !e.state().tenants().isWithin(j.project(), within)) continue;
                if (user != null && !user.equals(j.spec().user())) continue;
                if (nodeIndex >= 0 && (j.state() != JobState.RUNNING || java.util.Arrays.stream(j.nodes()).noneMatch(x -> x == nodeIndex))) continue;
                if (!api.access.seesJob(p, j)) continue;
                hits.add(j);
            }
            hits.sort(Comparator.comparingLong(Job::seq));
            List<Views.JobView> views = hits.stream().limit(limit).map(j -> Views.job(j, e, s.now(), runs, sites)).toList();
            Long next = hits.size() > limit ? hits.get(limit - 1).seq() : null;
            return new JobList(views, views.size(), next);
        });
    }

    private Job visibleJob(Engine e, Principal p, String id) {
        Job j = e.job(id);
        if (j == null || !api.access.seesJob(p, j)) throw Problem.notFound("job", id);
        return j;
    }

    private void get(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        api.respond(ctx, 200, s -> Views.job(visibleJob(s.engine(), p, id), s.engine(), s.now(), runs, sites));
    }

    private void cancel(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        api.respond(ctx, 200, s -> {
            Job j = visibleJob(s.engine(), p, id);
            if (!api.access.actsOnJob(p, j)) throw Problem.forbidden("you may not cancel job '" + id + "'");
            String before = j.state().name();
            ApiContext.accepted(s.apply(t -> new Command.CancelJob(t, id)));
            // Cancelling one's own job is ordinary; cancelling someone else's is an act to answer for.
            if (!p.user().equals(j.spec().user())) s.audit(api.act(p, "job.cancel", id + " of " + j.spec().user(), before, j.state().name()));
            return Views.job(j, s.engine(), s.now(), runs, sites);
        });
    }

    /** {@code walltime}: the new walltime in seconds. */
    record UpdateRequest(Long walltime) {}

    /** A new walltime (Slurm's update TimeLimit): shorter for who may cancel the job, longer for operators only; audited. */
    private void update(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        UpdateRequest r = api.body(ctx, UpdateRequest.class);
        if (r.walltime() == null) throw Problem.badRequest("walltime", null, "walltime (seconds) is required: the only field a job's update changes");
        api.respond(ctx, 200, s -> {
            Job j = visibleJob(s.engine(), p, id);
            if (!api.access.actsOnJob(p, j)) throw Problem.forbidden("you may not update job '" + id + "'");
            long before = j.walltime();
            if (r.walltime() > before && !p.isOperator()) {
                throw Problem.forbidden("only an operator may lengthen a job's walltime (it is " + before + " s; " + r.walltime() + " asked)");
            }
            ApiContext.accepted(s.apply(t -> new Command.SetWalltime(t, id, r.walltime())));
            s.audit(api.act(p, "job.update", id + " of " + j.spec().user(), "walltime=" + before, "walltime=" + r.walltime()));
            return Views.job(s.engine().job(id), s.engine(), s.now(), runs, sites);
        });
    }

    /** Hold, release or requeue: who may cancel a job may do these; acting on someone else's job is audited. */
    private void act(Context ctx, String verb, java.util.function.BiFunction<Long, String, Command> command) {
        act(ctx, verb, command, (p, j) -> { });
    }

    /**
     * A hold an operator placed is released by an operator only (Slurm's admin hold): the job's owner and its tenant
     * admins are refused, naming who held it. The audit trail says who held it last (holds of someone else's job are
     * audited).
     */
    private void mayRelease(Principal p, Job j) {
        if (p.isOperator() || !j.held()) return;
        var last = api.audit.latest(j.id() + " of ", List.of("job.hold", "job.release"));
        if (last != null && last.action().equals("job.hold") && Role.OPERATOR.wireName().equals(last.role())) {
            throw Problem.forbidden("job '" + j.id() + "' was held by operator " + last.actor() + "; only an operator may release it");
        }
    }

    private void act(Context ctx, String verb, java.util.function.BiFunction<Long, String, Command> command,
                     java.util.function.BiConsumer<Principal, Job> check) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        api.respond(ctx, 200, s -> {
            Job j = visibleJob(s.engine(), p, id);
            if (!api.access.actsOnJob(p, j)) throw Problem.forbidden("you may not " + verb + " job '" + id + "'");
            check.accept(p, j);
            String before = j.state().name() + (j.held() ? " (held)" : "");
            ApiContext.accepted(s.apply(t -> command.apply(t, id)));
            Job now = s.engine().job(id);
            if (!p.user().equals(j.spec().user())) {
                s.audit(api.act(p, "job." + verb, j.id() + " of " + j.spec().user(), before, now.state().name() + (now.held() ? " (held)" : "")));
            }
            return Views.job(now, s.engine(), s.now(), runs, sites);
        });
    }

    private void complete(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        CompleteRequest r = ctx.bodyAsBytes().length == 0 ? new CompleteRequest(true) : api.body(ctx, CompleteRequest.class);
        api.respond(ctx, 200, s -> {
            Job j = visibleJob(s.engine(), p, id);
            if (!api.access.actsOnJob(p, j)) throw Problem.forbidden("you may not report on job '" + id + "'");
            ApiContext.accepted(s.apply(t -> new Command.JobFinished(t, id, r.success() == null || r.success())));
            return Views.job(j, s.engine(), s.now(), runs, sites);
        });
    }
}
