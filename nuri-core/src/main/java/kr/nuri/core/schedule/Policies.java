package kr.nuri.core.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.policy.Preemption;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.schedule.fit.NuriFit;
import kr.nuri.core.schedule.fit.FgdBaselines;
import kr.nuri.core.schedule.fit.FragmentationGradientFit;
import kr.nuri.core.schedule.fit.NodeFit;
import kr.nuri.core.schedule.fit.TaskMix;
import kr.nuri.core.state.State;

/**
 * The one registry of scheduling policies: per kind, the names a fleet file may use and how each is made. An unknown
 * name is refused with the known ones listed. Adding a policy is one class and one {@link #with} line here (or, for an
 * engine of one's own, on a copy of {@link #STANDARD}).
 *
 * <p>Policies are made in this order, each seeing those before it in its {@link Context}: the queue order (before the
 * state exists: the pending queue ranks by it), then the gang placement, then the rest.
 */
public final class Policies {
    /** A kind of policy: what the registry calls it and the fleet-file field that names it. */
    public record Kind<T>(String label, String field) { }

    /** What a policy is made from. {@code state} is null for a queue order; {@code gangPlacement} null until it is made. */
    public record Context(SchedulerSettings settings, State state, QueueOrder queueOrder, GangPlacement gangPlacement) { }

    /** How a policy is made. */
    @FunctionalInterface
    public interface Factory<T> {
        T create(Context context);
    }

    public static final Kind<QueueOrder> QUEUE_ORDER = new Kind<>("queue order", "scheduler.queueOrder");
    public static final Kind<Admission> ADMISSION = new Kind<>("admission rule", "scheduler.admission");
    public static final Kind<GangPlacement> GANG_PLACEMENT = new Kind<>("gang placement", "scheduler.gangPlacement");
    public static final Kind<NodeFit> NODE_FIT = new Kind<>("node-fit policy", "scheduler.placement");
    public static final Kind<Preemption> PREEMPTION = new Kind<>("preemption policy", "scheduler.preemptionPolicy");
    public static final Kind<Backfill> BACKFILL = new Kind<>("backfill policy", "scheduler.backfill");
    public static final List<Kind<?>> KINDS = List.of(QUEUE_ORDER, ADMISSION, GANG_PLACEMENT, NODE_FIT, PREEMPTION, BACKFILL);

    /** Nuri's policies. */
    public static final Policies STANDARD = new Policies(Map.of())
            .with(QUEUE_ORDER, QueueOrder.FairShare.NAME, c -> new QueueOrder.FairShare())
            .with(QUEUE_ORDER, "fifo", c -> new QueueOrder.Fifo())
            .with(QUEUE_ORDER, "sjf", c -> new QueueOrder.ShortestJobFirst())
            .with(QUEUE_ORDER, QueueOrder.ShortestRemainingTimeFirst.NAME, c -> new QueueOrder.ShortestRemainingTimeFirst())
            .with(ADMISSION, "quota", c -> new QuotaAdmission(c.state()))
            .with(GANG_PLACEMENT, "topology", c -> new TopologyPlacement(c.state().capacity()))
            .with(NODE_FIT, "random", c -> new FgdBaselines.RandomFit(c.state().capacity(), c.state().fleet(), c.settings().placement().seed()))
            .with(NODE_FIT, "dotprod", c -> new FgdBaselines.DotProductFit(c.state().capacity(), c.state().fleet()))
            .with(NODE_FIT, "clustering", c -> new FgdBaselines.ClusteringFit(c.state().capacity(), c.state().fleet()))
            .with(NODE_FIT, "packing", c -> new FgdBaselines.PackingFit(c.state().capacity(), c.state().fleet()))
            .with(NODE_FIT, "bestfit", c -> new FgdBaselines.BestFit(c.state().capacity(), c.state().fleet()))
            .with(NODE_FIT, "fgd", c -> new FragmentationGradientFit(c.state().capacity(), c.state().fleet(), taskMix(c)))
            .with(NODE_FIT, "nuri", c -> new NuriFit(c.state().capacity(), c.state().fleet(), taskMix(c)))
            .with(PREEMPTION, Preemption.Priority.NAME, c -> new Preemption.Priority())
            .with(PREEMPTION, Preemption.RemainingTime.NAME, c -> new Preemption.RemainingTime())
            .with(BACKFILL, "easy", c -> new EasyBackfill(c.state(), c.gangPlacement(), c.queueOrder()));

    private final Map<Kind<?>, Map<String, Factory<?>>> byKind;

    private Policies(Map<Kind<?>, Map<String, Factory<?>>> byKind) {
        this.byKind = byKind;
    }

    /** A registry with one more policy (or another factory for a name it has). */
    public <T> Policies with(Kind<T> kind, String name, Factory<? extends T> factory) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a " + kind.label() + " needs a name");
        Map<Kind<?>, Map<String, Factory<?>>> copy = new LinkedHashMap<>();
        byKind.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        copy.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(name, factory);
        return new Policies(copy);
    }

    /** The names known for a kind, in the order they were added. */
    public List<String> names(Kind<?> kind) {
        return List.copyOf(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    /** The name settings give a kind. */
    public static String named(Kind<?> kind, SchedulerSettings s) {
        if (kind == NODE_FIT) return s.placement().policy();
        if (kind == QUEUE_ORDER) return s.policies().queueOrder();
        if (kind == ADMISSION) return s.policies().admission();
        if (kind == GANG_PLACEMENT) return s.policies().gangPlacement();
        if (kind == PREEMPTION) return s.policies().preemption();
        if (kind == BACKFILL) return s.policies().backfill();
        throw new IllegalArgumentException("no " + kind.label() + " in the scheduler settings");
    }

    /** Refuses settings that name a policy this registry does not know, naming the field, the value and the known names. */
    public void check(SchedulerSettings s) {
        for (Kind<?> kind : KINDS) factory(kind, named(kind, s));
    }

    /** Makes the policy of a kind that the context's settings name. */
    @SuppressWarnings("unchecked")
    public <T> T create(Kind<T> kind, Context context) {
        return (T) factory(kind, named(kind, context.settings())).create(context);
    }

    private Factory<?> factory(Kind<?> kind, String name) {
        Factory<?> f = byKind.getOrDefault(kind, Map.of()).get(name);
        if (f == null) throw new UnknownPolicy(kind, name, names(kind));
        return f;
    }

    /** A name the registry does not know for its kind. */
    public static final class UnknownPolicy extends IllegalArgumentException {
        private final transient Kind<?> kind;
        private final String name;
        private final List<String> known;

        UnknownPolicy(Kind<?> kind, String name, List<String> known) {
            super(kind.field() + ": " + kind.label() + " '" + name + "' is not known. Maybe one of " + known + "?");
            this.kind = kind;
            this.name = name;
            this.known = known;
        }

        public Kind<?> kind() { return kind; }
        public String name() { return name; }
        public List<String> known() { return known; }
    }

    private static TaskMix taskMix(Context c) {
        PlacementSettings p = c.settings().placement();
        return p.taskMix().isEmpty() ? null : new TaskMix(p.taskMix(), c.state().fleet(), p.taskMixOf());
    }
}
