package io.ggen.p2p.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ggen.p2p.security.noise.pb.NoiseProto;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoisePayloadCodecTest {
    @Test
    void roundTrip() throws Exception {
        NoisePayload p = new NoisePayload(new byte[] {1, 2, 3}, new byte[] {4, 5}, List.of(new byte[] {9}), List.of("/yamux/1.0.0"));
        NoisePayload back = NoisePayloadCodec.decode(NoisePayloadCodec.encode(p));
        assertThat(back.identityKey()).isEqualTo(p.identityKey());
        assertThat(back.identitySig()).isEqualTo(p.identitySig());
        assertThat(back.streamMuxers()).containsExactly("/yamux/1.0.0");
        assertThat(back.webtransportCerthashes()).hasSize(1);
    }

    @Test
    void encodingMatchesTheGeneratedMessage() throws Exception {
        byte[] ours = NoisePayloadCodec.encode(new NoisePayload(new byte[] {1}, new byte[] {2}, List.of("/a")));
        NoiseProto.NoiseHandshakePayload parsed = NoiseProto.NoiseHandshakePayload.parseFrom(ours);
        assertThat(parsed.getExtensions().getStreamMuxersList()).containsExactly("/a");
        // Without muxers, no extensions field at all: 1-byte key, 1-byte sig.
        assertThat(NoisePayloadCodec.encode(new NoisePayload(new byte[] {1}, new byte[] {2}, List.of()))).containsExactly(10, 1, 1, 18, 1, 2);
    }

    @Test
    void limitsAreEnforced() {
        byte[] bigKey = NoiseProto.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(new byte[NoisePayloadCodec.MAX_IDENTITY_KEY + 1]))
                .setIdentitySig(ByteString.copyFrom(new byte[1])).build().toByteArray();
        assertThatThrownBy(() -> NoisePayloadCodec.decode(bigKey)).isInstanceOf(NoiseException.class).hasMessageContaining("identity_key");
        byte[] manyMuxers = NoiseProto.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(new byte[1])).setIdentitySig(ByteString.copyFrom(new byte[1]))
                .setExtensions(NoiseProto.NoiseExtensions.newBuilder().addAllStreamMuxers(Collections.nCopies(NoisePayloadCodec.MAX_STREAM_MUXERS + 1, "/m")))
                .build().toByteArray();
        assertThatThrownBy(() -> NoisePayloadCodec.decode(manyMuxers)).isInstanceOf(NoiseException.class).hasMessageContaining("stream muxers");
        // A length field claiming more than is there.
        assertThatThrownBy(() -> NoisePayloadCodec.decode(new byte[] {10, 100, 1, 2})).isInstanceOf(NoiseException.class);
        // A length field with a huge varint.
        assertThatThrownBy(() -> NoisePayloadCodec.decode(new byte[] {10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f})).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> NoisePayloadCodec.decode(new byte[0])).isInstanceOf(NoiseException.class).hasMessageContaining("missing");
        // Invalid UTF-8 in a muxer id.
        byte[] badUtf8 = {10, 1, 1, 18, 1, 2, 34, 3, 18, 1, (byte) 0xff};
        assertThatThrownBy(() -> NoisePayloadCodec.decode(badUtf8)).isInstanceOf(NoiseException.class).hasMessageContaining("UTF-8");
    }
}
