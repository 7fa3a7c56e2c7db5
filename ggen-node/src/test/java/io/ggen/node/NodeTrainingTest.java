package io.ggen.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTrainingTest {
    @TempDir
    Path tmp;

    /** The JVM archive's training must run the node's paths for real: a whole catalog synced, or the archive misses them silently. */
    @Test
    void theTrainingSyncsEveryReleaseBetweenTwoLoopbackNodes() throws Exception {
        assertThat(NodeTraining.run(tmp)).isEqualTo(NodeTraining.RELEASES);
        // Each node's own configuration: loopback only, nothing announced on the LAN.
        for (String node : new String[] {"serving", "joining"}) {
            String config = java.nio.file.Files.readString(tmp.resolve(node).resolve("p2p-config.toml"));
            assertThat(config).contains("mdns = false").contains("port_mapping = false").contains("/ip4/127.0.0.1/tcp/0");
        }
    }
}
