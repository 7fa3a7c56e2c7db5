package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.error.MarketplaceException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ownership rules alone, without a database. */
class TrustPolicyTest {
    static final String ALICE = "aaaa";
    static final String MALLORY = "mmmm";

    @Test
    void theFirstKeySeenClaimsAnIdAndOnlyItMayReleaseMore() {
        assertThat(TrustPolicy.release(Optional.empty(), ALICE, "io.x@1.0.0")).isEqualTo(TrustPolicy.Verdict.CLAIM);
        Ownership tofu = TrustPolicy.firstUse("io.x", ALICE, 1);
        assertThat(tofu.how()).isEqualTo(Ownership.TOFU);
        assertThat(TrustPolicy.release(Optional.of(tofu), ALICE, "io.x@1.1.0")).isEqualTo(TrustPolicy.Verdict.OWNER);
        assertThatThrownBy(() -> TrustPolicy.release(Optional.of(tofu), MALLORY, "io.x@1.1.0"))
                .isInstanceOf(MarketplaceException.class)
                .hasMessageContaining("signed by key " + MALLORY).hasMessageContaining("belongs to key " + ALICE)
                .hasMessageContaining("trusted on first use").hasMessageContaining("ggen marketplace trust " + MALLORY + " --package io.x")
                .extracting(e -> ((MarketplaceException) e).kind()).isEqualTo(MarketplaceException.Kind.VERIFICATION);
    }

    @Test
    void aPinReplacesTheOwnerWhoeverItWas() {
        Ownership pinned = TrustPolicy.pin("io.x", MALLORY, 2);
        assertThat(pinned.how()).isEqualTo(Ownership.PINNED);
        assertThat(TrustPolicy.release(Optional.of(pinned), MALLORY, "io.x@2.0.0")).isEqualTo(TrustPolicy.Verdict.OWNER);
        assertThatThrownBy(() -> TrustPolicy.release(Optional.of(pinned), ALICE, "io.x@2.0.0")).hasMessageContaining("pinned with 'ggen marketplace trust'");
    }

    @Test
    void onlyTheOwnerMayYankButAnUnownedIdAcceptsAYank() {
        TrustPolicy.yank(Optional.empty(), MALLORY, "io.y@1.0.0");
        TrustPolicy.yank(Optional.of(TrustPolicy.firstUse("io.x", ALICE, 1)), ALICE, "io.x@1.0.0");
        assertThatThrownBy(() -> TrustPolicy.yank(Optional.of(TrustPolicy.firstUse("io.x", ALICE, 1)), MALLORY, "io.x@1.0.0"))
                .hasMessageContaining("yank of io.x@1.0.0").hasMessageContaining("refused");
    }
}
