package io.ggen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.config.ConfigKey;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void theLogLevelsTheCommandAcceptsAreTheNodes() {
        assertThat(Main.LOG_LEVELS).isEqualTo(ConfigKey.named("log.level").choices());
    }
}
