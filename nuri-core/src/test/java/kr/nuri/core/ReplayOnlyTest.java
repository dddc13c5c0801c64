package kr.nuri.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Replay is the only mutation, enforced: the methods that change a job or an index of the state are called only by
 * the state's replay (and restore), the state's replay only by the engine. Two searches in {@code schedule} lift
 * running jobs out of the indexes and put them back ({@code Preemptor}, {@code ReservationPlanner}); under FULL
 * assertions each checks that it left them as it found them ({@code State#indexFingerprint}).
 */
public class ReplayOnlyTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("kr.nuri.core");

    /** Per class of the state, the methods that change it. */
    public static final Map<String, Set<String>> MUTATORS = Map.of(
            "kr.nuri.core.job.Job", Set.of("markStarted", "markEnded", "restoreRuns"),
            "kr.nuri.core.state.Capacity", Set.of("take", "release", "takeNodeFit", "releaseNodeFit", "setHealth", "setReserved"),
            "kr.nuri.core.state.RunningIndex", Set.of("add", "remove"),
            "kr.nuri.core.state.PendingQueue", Set.of("add", "remove"),
            "kr.nuri.core.tenancy.QuotaBook", Set.of("set", "setExtra", "recompute", "addUsage"),
            "kr.nuri.core.award.AwardBook", Set.of("add", "revise", "commit", "restoreUsed", "settle"),
            "kr.nuri.core.tenancy.FairShare", Set.of("charge", "started", "stopped", "restoreDecayed"),
            "kr.nuri.core.state.State", Set.of("replay", "restore"));

    /** A call to one of {@link #MUTATORS}. */
    public static final DescribedPredicate<JavaMethodCall> MUTATION = DescribedPredicate.describe("a mutator of the state",
            call -> MUTATORS.getOrDefault(call.getTargetOwner().getName(), Set.of()).contains(call.getName()));

    private static final DescribedPredicate<JavaMethodCall> STATE_REPLAY = DescribedPredicate.describe("State.replay or State.restore",
            call -> call.getTargetOwner().getName().equals("kr.nuri.core.state.State") && MUTATION.test(call));

    @Test
    void onlyTheStateAndTheSearchesThatPutBackMutateTheIndexes() {
        noClasses().that().resideOutsideOfPackages("kr.nuri.core.state..", "kr.nuri.core.tenancy..", "kr.nuri.core.award..",
                        "kr.nuri.core.engine..")
                .and().doNotHaveFullyQualifiedName("kr.nuri.core.schedule.Preemptor")
                .and().doNotHaveFullyQualifiedName("kr.nuri.core.schedule.ReservationPlanner")
                .should().callMethodWhere(MUTATION)
                .check(CORE);
    }

    @Test
    void theRulesSeeTheMutationsThatExist() {
        // Guards the predicate itself: the replay and the two searches do call mutators, so a rule that matched nothing
        // (a renamed class or method) fails here instead of passing silently.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().haveFullyQualifiedName("kr.nuri.core.state.State")
                .or().haveFullyQualifiedName("kr.nuri.core.schedule.Preemptor")
                .or().haveFullyQualifiedName("kr.nuri.core.schedule.ReservationPlanner")
                .or().haveFullyQualifiedName("kr.nuri.core.engine.Engine")
                .should().callMethodWhere(MUTATION)
                .check(CORE);
    }

    @Test
    void onlyTheEngineReplaysEvents() {
        noClasses().that().resideOutsideOfPackages("kr.nuri.core.engine..", "kr.nuri.core.state..")
                .should().callMethodWhere(STATE_REPLAY)
                .check(CORE);
    }
}
