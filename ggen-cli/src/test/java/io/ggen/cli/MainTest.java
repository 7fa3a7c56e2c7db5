package io.ggen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void theLogLevelsTheCommandAcceptsAreTheNodes() {
        assertThat(Main.LOG_LEVELS).isEqualTo(ConfigKey.named("log.level").choices());
    }

    @Test
    void versionWithoutPicocliPrintsWhatPicocliPrints() {
        for (String flag : new String[] {"--version", "-V"}) {
            String[] fast = new String[1];
            Optional<Integer> fastExit = captured(fast, () -> Main.fastPath(new String[] {flag}));
            String[] slow = new String[1];
            int slowExit = captured(slow, () -> Main.run(flag));
            assertThat(fastExit).as(flag).contains(0);
            assertThat(slowExit).as(flag).isZero();
            assertThat(fast[0]).as(flag).isEqualTo(slow[0]).isEqualTo("ggen " + Version.get() + System.lineSeparator());
        }
    }

    @Test
    void versionAmongOtherArgumentsIsLeftToPicocli() {
        assertThat(Main.fastPath(new String[] {"--version", "extra"})).isEmpty();
        assertThat(Main.fastPath(new String[] {"--help"})).isEmpty();
    }

    /** Runs {@code body} with System.out captured into {@code out[0]}. */
    private static <T> T captured(String[] out, Supplier<T> body) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return body.get();
        } finally {
            System.setOut(original);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
