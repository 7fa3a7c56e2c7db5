package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGEN_LOG_LEVEL is a setting like the others: checked, and shown with where it comes from. */
class LogLevelIT {
    @TempDir
    Path tmp;

    @Test
    void aBadLevelIsRefusedAndConfigShowNamesTheVariable() throws Exception {
        Ggen ggen = Ggen.in(tmp);
        Ggen.Result bad = ggen.run(Map.of("GGEN_LOG_LEVEL", "verbose"), "marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err().lines().count()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: environment GGEN_LOG_LEVEL: log.level: expected one of error, warn, info, debug, trace, got \"verbose\"");

        // commands that start no node check it too (logback alone would ignore it)
        Ggen.Result search = ggen.run(Map.of("GGEN_LOG_LEVEL", "verbose"), "marketplace", "search", "x");
        assertThat(search.exit()).as(search.toString()).isEqualTo(2);
        assertThat(search.err()).isEqualTo(bad.err());

        JsonNode shown = ggen.run(Map.of("GGEN_LOG_LEVEL", "debug"), "marketplace", "p2p", "config", "show", "--format", "json").json();
        assertThat(shown.path("log.level").path("value").asText()).isEqualTo("debug");
        assertThat(shown.path("log.level").path("source").asText()).isEqualTo("GGEN_LOG_LEVEL");
        JsonNode byDefault = ggen.run(Map.of(), "marketplace", "p2p", "config", "show", "--format", "json").json();
        assertThat(byDefault.path("log.level").path("source").asText()).isEqualTo("default");
    }
}
