package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.chaos.ChaosScenario;
import io.ggen.cli.testing.NatLab;
import io.ggen.cli.testing.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos lab's short form ({@link ChaosScenario}): one cycle on 6 nodes, a 30 s partition,
 * two nodes killed and restarted, 1-5% loss. {@code scripts/chaos} runs the long form through
 * this same test with {@code chaos.nodes}, {@code chaos.minutes} and {@code chaos.seed}.
 */
class ChaosLabIT {
    @BeforeAll
    static void labAvailable() {
        NatLab.assumeAvailable();
        Assumptions.assumeTrue(Netns.supported(), "the chaos lab reaches the nodes' control APIs through the foreign function API of Java 22 or later");
    }

    @Test
    void afterAPartitionKillsAndLossEveryPackIsEverywhereVerifiedAndNothingLeaks() throws Exception {
        Path work = Path.of(System.getProperty("chaos.out", "target/chaos/" + System.currentTimeMillis()));
        Files.createDirectories(work);
        ChaosScenario.Config config = ChaosScenario.Config.fromProperties(work.toAbsolutePath());
        // The short form ends in about two minutes on a loaded machine; a long form in its minutes and one more cycle.
        Duration limit = Duration.ofMinutes(15).plus(config.duration().multipliedBy(2));
        ObjectNode report = assertTimeoutPreemptively(limit, () -> new ChaosScenario(config).run());
        assertThat(report.path("violations")).as(report.toPrettyString()).isEmpty();
        assertThat(report.path("convergence_ms").path("converged").asInt()).isEqualTo(report.path("convergence_ms").path("pairs").asInt()).isPositive();
    }
}
