package io.ggen.node.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ApiTokenTest {
    /** The JDK's HMAC-SHA256, as the proof was computed before: clients and nodes of either kind must agree. */
    static String jdkProof(String token, int port, String nonce) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(("ggen-api-proof-v1\n" + port + "\n" + nonce).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theProofIsHmacSha256OfPortAndNonceKeyedWithTheToken() {
        qt().forAll(strings().betweenCodePoints('0', 'z').ofLengthBetween(1, 100), integers().between(1, 65535),
                strings().betweenCodePoints('0', 'f').ofLength(64)).checkAssert((token, port, nonce) -> {
            try {
                assertThat(ApiToken.proof(token, port, nonce)).isEqualTo(jdkProof(token, port, nonce));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void noncesAreFreshHex() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String n = ApiToken.newNonce();
            assertThat(ApiToken.isNonce(n)).as(n).isTrue();
            assertThat(seen.add(n)).isTrue();
        }
    }
}
