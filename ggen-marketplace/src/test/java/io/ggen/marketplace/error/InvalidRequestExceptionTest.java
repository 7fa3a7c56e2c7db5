package io.ggen.marketplace.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidRequestExceptionTest {
    @Test
    void aQuotedValueWithLineBreaksStaysOnOneLine() {
        // Found by ApiRequestsFuzzTest#body: a bootstrap address sent as "/ip4/tcp\nXTN" came
        // back in the message, so the CLI printed a second line the sender wrote.
        var e = new InvalidRequestException("addrs", "has \"/ip4/tcp\nforged: line\" is not a multiaddr");
        assertThat(e.getMessage()).isEqualTo("addrs has \"/ip4/tcp\\nforged: line\" is not a multiaddr");
        assertThat(e.problem()).doesNotContain("\n").contains("\\n");
    }
}
