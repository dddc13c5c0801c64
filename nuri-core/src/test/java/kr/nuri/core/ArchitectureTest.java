package kr.nuri.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays pure: no I/O, network, SQL, threads, executors or clock reads (DESIGN.md). */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("kr.nuri.core");

    @Test
    void coreDoesNoIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.sql..",
                "javax.sql..", "java.net.http..").check(CORE);
    }

    @Test
    void coreStartsNoThreads() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(ThreadGroup.class)
                .check(CORE);
    }

    @Test
    void coreReadsNoClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().dependOnClassesThat().areAssignableTo(java.util.Random.class)
                .check(CORE);
    }

    @Test
    void coreDependsOnTheJdkOnly() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("kr.nuri.core..", "java..")
                .check(CORE);
    }
}
