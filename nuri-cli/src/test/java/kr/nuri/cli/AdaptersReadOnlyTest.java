package kr.nuri.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import kr.nuri.core.ReplayOnlyTest;
import kr.nuri.core.state.State;
import kr.nuri.core.state.StateView;
import org.junit.jupiter.api.Test;

/**
 * The adapters (server, simulator, benchmark, CLI) read the engine's state and change it only through commands: none
 * calls a mutator of the state ({@link ReplayOnlyTest#MUTATORS}) nor even names the state's class (they get its
 * read-only {@link StateView}); recovery replays events through the engine.
 */
class AdaptersReadOnlyTest {
    private static final JavaClasses ADAPTERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("kr.nuri.server", "kr.nuri.sim", "kr.nuri.bench", "kr.nuri.cli", "kr.nuri.config");

    @Test
    void adaptersNeverMutateTheState() {
        noClasses().should().callMethodWhere(ReplayOnlyTest.MUTATION).check(ADAPTERS);
    }

    /** They see the state through its read-only interface: {@code Engine.state()} returns a {@link StateView}, and no adapter names {@link State}. */
    @Test
    void adaptersSeeTheStateOnlyThroughItsReadOnlyView() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(State.class).check(ADAPTERS);
        assertThat(ADAPTERS.size()).as("the rule sees the adapters").isGreaterThan(100);
    }
}
