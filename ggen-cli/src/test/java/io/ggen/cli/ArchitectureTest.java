package io.ggen.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

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
        // Main code only: test classes come from test-classes directories and, for the modules
        // whose test helpers this one uses, from their test jars.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.ggen");
    }

    @Test
    void everyModuleIsImported() {
        // Without this a rule could pass on an empty or partial class set.
        for (String c : new String[] {"io.ggen.p2p.host.NettyHost", "io.ggen.p2p.core.Host", "io.ggen.marketplace.catalog.Catalog",
                "io.ggen.marketplace.service.MarketplaceService", "io.ggen.node.Node", "io.ggen.cli.Main"}) {
            assertThat(classes.contain(c)).as(c).isTrue();
        }
        assertThat(classes.contain("io.ggen.p2p.crypto.PeerIdTest")).as("test classes are left out").isFalse();
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.ggen.(**)").should().beFreeOfCycles().check(classes);
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
