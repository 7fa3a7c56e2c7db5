package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.chaos.SoakScenario;
import io.ggen.cli.testing.NatLab;
import io.ggen.cli.testing.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The soak ({@link SoakScenario}), run only by {@code scripts/soak} (its name is not *IT, so
 * {@code ./test} does not pick it up): failsafe runs it with {@code soak.*} properties.
 */
class SoakLab {
    @Test
    void honestNodesKeepDeliveringAndInstallingThroughChurnAndHostilePeers() throws Exception {
        NatLab.assumeAvailable();
        Assumptions.assumeTrue(Netns.supported(), "the soak reaches the nodes' control APIs through the foreign function API of Java 22 or later");
        Path work = Path.of(System.getProperty("soak.out", "target/soak/" + System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(work);
        SoakScenario.Config config = SoakScenario.Config.fromProperties(work);
        ObjectNode report = assertTimeoutPreemptively(config.duration().plusMinutes(15), () -> new SoakScenario(config).run());
        assertThat(report.path("violations")).as(report.path("violations").toPrettyString()).isEmpty();
    }
}
