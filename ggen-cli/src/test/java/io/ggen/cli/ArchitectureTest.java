package io.ggen.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the compiled classes of every module the
 * command depends on: libp2p below the marketplace below the node below the CLI, dependencies
 * pointing down only, and no cycle between any two packages.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.ggen");
    }

    @Test
    void noPackageCycles() {
        JavaClasses upper = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.ggen.node", "io.ggen.cli");
        slices().matching("io.ggen.(**)").should().beFreeOfCycles().check(upper);
    }

    @Test
    void libp2pKnowsNothingOfPackagesNodesOrTheCommand() {
        noClasses().that().resideInAPackage("io.ggen.p2p..")
                .should().dependOnClassesThat().resideInAnyPackage("io.ggen.marketplace..", "io.ggen.node..", "io.ggen.cli..")
                .check(classes);
    }

    @Test
    void theMarketplaceUsesTheHostThroughItsInterfacesNeverNetty() {
        noClasses().that().resideInAPackage("io.ggen.marketplace..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.ggen.node..", "io.ggen.cli..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.ggen.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.ggen.cli..")
                .check(classes);
    }

    @Test
    void theNodeUsesTheHostThroughItsInterfacesNeverNetty() {
        noClasses().that().resideInAPackage("io.ggen.node..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(classes);
    }
}
