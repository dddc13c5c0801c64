package kr.nuri.core.engine;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Rejection.Code;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.TenantPolicy;

/**
 * What a tenant's policy asks of a submission (the classes it may use and for how long, an award to charge where its
 * tenant runs on awards, not a retired tenant), and what a policy or a retirement must be. The command validator's tenancy half.
 */
final class TenantRules {
    private final State state;

    TenantRules(State state) {
        this.state = state;
    }

    /** A submission to a project that is retired, or under a retired tenant; null when it is not. */
    Rejection retired(JobSpec s, int project) {
        String retiredBy = state.policies().retiredBy(project);
        if (retiredBy == null) return null;
        return Rejection.of(Code.TENANT_RETIRED, "project", s.project(), "project " + s.project() + (retiredBy.equals(s.project()) ? " is"
                : " belongs to " + retiredBy + ", which is") + " retired: it takes no new jobs");
    }

    /** Retiring or reinstating: any tenant but the root. */
    Rejection retire(Command.RetireTenant c) {
        int t = c.tenant() == null ? -1 : state.tenants().index(c.tenant());
        if (t < 0) return Rejection.of(Code.UNKNOWN_TENANT, "tenant", c.tenant(), "no tenant '" + c.tenant() + "'. Maybe check 'nuri tenants'?");
        return state.tenants().parent(t) < 0 ? Rejection.of(Code.INVALID_VALUE, "tenant", c.tenant(), "'" + c.tenant()
                + "' is the root: retiring it would stop the whole fleet. Maybe drain the nodes instead?") : null;
    }

    /** What a tenant may be called: it appears in URLs, token scopes and pool names ({@code B200@naicc}). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Creating a tenant: a new name of letters, digits, '.', '_' and '-' (at most 64), under a tenant that is not retired
     * and is not a project that has had jobs (a project runs jobs; it does not become an organisation), a positive weight.
     */
    Rejection create(Command.CreateTenant c) {
        if (c.name() == null || !NAME.matcher(c.name()).matches()) {
            return Rejection.of(Code.INVALID_VALUE, "name", c.name(), "a tenant's name has 1 to 64 letters, digits, '.', '_' or '-', and"
                    + " starts with a letter or digit");
        }
        if (state.tenants().index(c.name()) >= 0) {
            return Rejection.of(Code.INVALID_VALUE, "name", c.name(), "tenant '" + c.name() + "' exists already. Maybe another name?");
        }
        int parent = c.parent() == null ? -1 : state.tenants().index(c.parent());
        if (parent < 0) return Rejection.of(Code.UNKNOWN_TENANT, "parent", c.parent(), "no tenant '" + c.parent() + "'. Maybe check 'nuri tenants'?");
        String retiredBy = state.policies().retiredBy(parent);
        if (retiredBy != null) {
            return Rejection.of(Code.TENANT_RETIRED, "parent", c.parent(), "'" + c.parent() + "'" + (retiredBy.equals(c.parent()) ? " is"
                    : " belongs to " + retiredBy + ", which is") + " retired. Maybe reinstate it first?");
        }
        if (state.tenants().isLeaf(parent)) {
            for (var j : state.jobs()) {
                if (j.project() == parent) {
                    int org = state.tenants().parent(parent);
                    return Rejection.of(Code.INVALID_VALUE, "parent", c.parent(), "'" + c.parent() + "' is a project and has had jobs (" + j.id()
                            + "): a project does not become an organisation. Maybe create '" + c.name() + "' under "
                            + (org < 0 ? "another tenant" : "'" + state.tenants().name(org) + "'") + "?");
                }
            }
        }
        if (!(c.weight() > 0) || c.weight() > 1_000_000) {
            return Rejection.of(Code.INVALID_VALUE, "weight", c.weight(), "a fair-share weight is more than 0 and at most 1000000. Maybe 1?");
        }
        return null;
    }

    /** A submission in class {@code pc} of {@code project} against the policy that applies to it; null when it passes. */
    Rejection submit(JobSpec s, int project, PriorityClass pc, long now) {
        TenantPolicy policy = state.policies().effective(project);
        if (!policy.allows(pc.name())) {
            return Rejection.of(Code.CLASS_NOT_ALLOWED, "priorityClass", s.priorityClass(), "project " + s.project()
                    + " may not use priority class " + pc.name() + ". Maybe one of " + policy.classes().keySet() + "?");
        }
        long walltime = s.walltime() == 0 ? pc.defaultWalltime() : s.walltime();
        long limit = policy.maxWalltime(pc.name());
        if (limit > 0 && walltime > limit) {
            return Rejection.of(Code.WALLTIME_TOO_LONG, "walltime", s.walltime(), "project " + s.project() + " may ask for at most "
                    + limit + " s (" + limit / 3600.0 + " h) in class " + pc.name()
                    + (s.walltime() == 0 ? " (the class default is " + walltime + " s)" : "") + ". Maybe a walltime of " + limit + " s or less?");
        }
        if (s.award() == null && policy.requiresAward()) {
            Rejection r = coveringAward(s, project, now, walltime).rejection();
            boolean preemptible = s.preemptible() != null ? s.preemptible() : pc.preemptible();
            if (r != null && !(preemptible && policy.allowsUnawardedScavengers())) return r;
        }
        return null;
    }

    /**
     * A valid submission as it is journaled: in a project that runs on awards, a job that names none charges the one that
     * covers it (a scavenger the policy lets run without one keeps none).
     */
    JobSpec withCoveringAward(JobSpec s, long now) {
        if (s.award() != null) return s;
        int project = state.tenants().index(s.project());
        if (!state.policies().effective(project).requiresAward()) return s;
        PriorityClass pc = state.config().classes().get(state.config().classIndex(s.priorityClass()));
        String award = coveringAward(s, project, now, s.walltime() == 0 ? pc.defaultWalltime() : s.walltime()).award();
        return award == null ? s : new JobSpec(s.id(), s.project(), s.user(), award, s.members(), s.gpusPerMember(), s.models(), s.level(),
                s.levelRequired(), s.priorityClass(), s.walltime(), s.preemptible(), s.requeue(), s.runtime(), s.gpuMilli(), s.cpuMilli(),
                s.memoryMib(), s.name(), s.submitKey(), s.launch());
    }

    /** The award a job of an award-required project charges when it names none, or why there is none to charge. */
    record Covering(String award, Rejection rejection) {}

    /**
     * The one active award with budget left for GPUs × walltime that covers the project (granted to it or to a tenant
     * above it) and pays for a model the job may run on. None, or several, is a refusal naming them.
     */
    Covering coveringAward(JobSpec s, int project, long now, long walltime) {
        List<String> found = new ArrayList<>();
        for (int a = 0; a < state.awards().size(); a++) {
            AwardSpec award = state.awards().get(a);
            if (!award.activeAt(now) || !state.tenants().isWithin(project, state.tenants().index(award.tenant()))) continue;
            if (award.model() != null && !s.models().isEmpty() && s.models().stream().noneMatch(m -> state.fleet().covers(award.model(), m))) continue;
            if (award.kind() == AwardSpec.Kind.BUDGET && award.budgetGpuSeconds() - state.awards().used(a) < s.totalGpus() * walltime) continue;
            found.add(award.id());
        }
        if (found.size() == 1) return new Covering(found.get(0), null);
        if (found.isEmpty()) {
            return new Covering(null, Rejection.of(Code.AWARD_REQUIRED, "award", null, "project " + s.project() + " runs on awards, and no "
                    + "active award with " + s.totalGpus() * walltime / 3600 + " GPU-hours left covers it. Maybe apply for one, "
                    + "or ask its programme manager for a top-up?"));
        }
        return new Covering(null, Rejection.of(Code.AWARD_REQUIRED, "award", null, "project " + s.project() + " runs on awards and "
                + found.size() + " cover this job: " + found + ". Maybe name one (--award)?"));
    }

    Rejection policy(Command.SetTenantPolicy c) {
        if (c.tenant() == null || state.tenants().index(c.tenant()) < 0) {
            return Rejection.of(Code.UNKNOWN_TENANT, "tenant", c.tenant(), "no tenant '" + c.tenant() + "'. Maybe check 'nuri quota'?");
        }
        if (c.policy() == null) return Rejection.of(Code.INVALID_VALUE, "policy", null, "no policy given");
        if (c.policy().classes() != null) {
            for (var e : c.policy().classes().entrySet()) {
                int cls = state.config().classIndex(e.getKey());
                if (cls < 0 || !state.config().classes().get(cls).name().equals(e.getKey())) {
                    return Rejection.of(Code.UNKNOWN_PRIORITY_CLASS, "classes", e.getKey(), "no priority class '" + e.getKey() + "'. Maybe one of "
                            + state.config().classes().stream().map(PriorityClass::name).toList() + "?");
                }
                long max = state.config().classes().get(cls).maxWalltime();
                if (e.getValue() == null || e.getValue() < 0 || e.getValue() > max) {
                    return Rejection.of(Code.INVALID_VALUE, "classes." + e.getKey(), e.getValue(), "the longest walltime in class " + e.getKey()
                            + " must be 0 (the class's own, " + max + " s) to " + max + " s");
                }
            }
        }
        return null;
    }

}
