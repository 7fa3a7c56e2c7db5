package io.ggen.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code p2p-config.toml} as a user writes it. The contract: loading refuses only with a
 * {@link ConfigException} of one line (it is shown to the user as it is), and a configuration
 * that loads renders to TOML that loads back to the same values.
 */
class ConfigFuzzTest {
    private static Path dir;

    private static synchronized Path file(String name) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("ggen-fuzz-config");
            dir.toFile().deleteOnExit();
        }
        return dir.resolve(name);
    }

    @FuzzTest
    void file(byte[] input) throws IOException {
        Path f = file("p2p-config.toml");
        Files.write(f, input);
        NodeConfig config;
        try {
            config = NodeConfigLoader.load(f, true, Map.of(), NodeConfigLoader.Flags.NONE);
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        Path again = file("rendered.toml");
        Files.writeString(again, ConfigToml.render(config, true, false));
        NodeConfig back = NodeConfigLoader.load(again, true, Map.of(), NodeConfigLoader.Flags.NONE);
        assertThat(values(back)).isEqualTo(values(config));
    }

    private static Map<String, Object> values(NodeConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        c.settings().forEach((k, s) -> out.put(k, s.value()));
        return out;
    }
}
