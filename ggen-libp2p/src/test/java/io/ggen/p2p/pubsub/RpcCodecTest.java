package io.ggen.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.google.protobuf.ByteString;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    final PeerId self = PeerId.fromPublicKey(key.publicKey());

    @Test
    void ownMessagesOpenAsVerificationWould() throws Exception {
        PubsubProto.Message m = RpcCodec.sign(key, self, 42, "t", "hello".getBytes(StandardCharsets.UTF_8));
        PubsubMessage checked = RpcCodec.verify(m);
        PubsubMessage own = RpcCodec.own(self, m);
        assertThat(own.id()).isEqualTo(checked.id());
        assertThat(own.from()).isEqualTo(checked.from());
        assertThat(own.topic()).isEqualTo("t");
        assertThat(own.data()).isEqualTo(checked.data());
        assertThat(own.seqno()).isEqualTo(checked.seqno());
        assertThat(own.signature()).isEqualTo(checked.signature());
    }

    @Test
    void aChangedByteFailsVerification() {
        PubsubProto.Message m = RpcCodec.sign(key, self, 1, "t", "hello".getBytes(StandardCharsets.UTF_8));
        PubsubProto.Message bent = m.toBuilder().setData(ByteString.copyFromUtf8("hellO")).build();
        assertThatThrownBy(() -> RpcCodec.verify(bent)).isInstanceOf(RpcCodec.RpcException.class).hasMessageContaining("signature");
        PubsubProto.Message unsigned = m.toBuilder().clearSignature().build();
        assertThatThrownBy(() -> RpcCodec.verify(unsigned)).isInstanceOf(RpcCodec.RpcException.class);
    }

    @Test
    void theRpcDecoderRefusesHostileBytesOnlyWithItsOwnError() {
        qt().forAll(integers().between(0, 2000), integers().all()).checkAssert((len, seed) -> {
            byte[] b = new byte[len];
            new Random(seed).nextBytes(b);
            Throwable t = catchThrowable(() -> RpcCodec.decode(b, 1 << 20));
            if (t != null) assertThat(t).isInstanceOf(RpcCodec.RpcException.class);
        });
    }
}
