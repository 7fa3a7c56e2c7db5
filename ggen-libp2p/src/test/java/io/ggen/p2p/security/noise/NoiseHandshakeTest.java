package io.ggen.p2p.security.noise;

import static io.ggen.p2p.security.noise.NoiseTestSupport.badSigner;
import static io.ggen.p2p.security.noise.NoiseTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.security.noise.pb.NoiseProto;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {
    private final Ed25519PrivateKey alice = key(1);
    private final Ed25519PrivateKey bob = key(2);

    private record Pair(NoiseSession initiator, NoiseSession responder) {}

    private static Pair run(NoiseHandshake i, NoiseHandshake r) throws NoiseException {
        byte[] m1 = i.start();
        byte[] m2 = ((NoiseHandshake.Send) r.receive(m1)).message();
        NoiseHandshake.Done di = (NoiseHandshake.Done) i.receive(m2);
        NoiseHandshake.Done dr = (NoiseHandshake.Done) r.receive(di.finalMessage().orElseThrow());
        assertThat(dr.finalMessage()).isEmpty();
        return new Pair(di.session(), dr.session());
    }

    @Test
    void handshakeAuthenticatesBothSidesAndKeysMatch() throws Exception {
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.of(PeerId.fromPublicKey(bob.publicKey())), List.of("/yamux/1.0.0"));
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of("/yamux/1.0.0", "/mplex/6.7.0"));
        Pair p = run(i, r);
        assertThat(p.initiator().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(p.responder().remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(p.initiator().remoteIdentityKey().raw()).isEqualTo(bob.publicKey().raw());
        assertThat(p.initiator().remoteStreamMuxers()).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
        assertThat(p.responder().remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
        assertThat(i.isDone()).isTrue();
        assertThat(r.isDone()).isTrue();

        byte[] msg = "hello over noise".getBytes();
        byte[] ct = new byte[msg.length + 16];
        p.initiator().sendCipher().encrypt(msg, 0, msg.length, ct, 0);
        byte[] back = new byte[msg.length];
        p.responder().recvCipher().decrypt(ct, 0, ct.length, back, 0);
        assertThat(back).isEqualTo(msg);
        p.responder().sendCipher().encrypt(msg, 0, msg.length, ct, 0);
        p.initiator().recvCipher().decrypt(ct, 0, ct.length, back, 0);
        assertThat(back).isEqualTo(msg);
    }

    /**
     * A host's credentials serve many handshakes: each authenticates, each gets its own session
     * keys (the ephemeral keys differ), and the peer sees the same static key every time.
     */
    @Test
    void credentialsMadeOnceServeEveryHandshake() throws Exception {
        NoiseCredentials aliceCreds = NoiseCredentials.generate(alice, List.of("/yamux/1.0.0"));
        NoiseCredentials bobCreds = NoiseCredentials.generate(bob, List.of("/yamux/1.0.0"));
        Pair first = run(new NoiseHandshake(aliceCreds, true, Optional.of(PeerId.fromPublicKey(bob.publicKey()))),
                new NoiseHandshake(bobCreds, false, Optional.empty()));
        Pair second = run(new NoiseHandshake(aliceCreds, true, Optional.empty()), new NoiseHandshake(bobCreds, false, Optional.empty()));
        for (Pair p : List.of(first, second)) {
            assertThat(p.initiator().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
            assertThat(p.responder().remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
            assertThat(p.initiator().remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
        }
        byte[] msg = "same static key, new session".getBytes();
        byte[] c1 = new byte[msg.length + 16];
        byte[] c2 = new byte[msg.length + 16];
        first.initiator().sendCipher().encrypt(msg, 0, msg.length, c1, 0);
        second.initiator().sendCipher().encrypt(msg, 0, msg.length, c2, 0);
        assertThat(c1).isNotEqualTo(c2);
        // and a handshake with credentials meets one that made its own static key
        Pair mixed = run(new NoiseHandshake(alice, true, Optional.empty(), List.of()), new NoiseHandshake(bobCreds, false, Optional.empty()));
        assertThat(mixed.initiator().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
    }

    @Test
    void emptyExtensionsGiveEmptyMuxerList() throws Exception {
        Pair p = run(new NoiseHandshake(alice, true, Optional.empty(), List.of()), new NoiseHandshake(bob, false, Optional.empty(), List.of()));
        assertThat(p.initiator().remoteStreamMuxers()).isEmpty();
        assertThat(p.responder().remoteStreamMuxers()).isEmpty();
    }

    @Test
    void wrongExpectedPeerIdFailsTheInitiator() throws Exception {
        PeerId someoneElse = PeerId.fromPublicKey(key(3).publicKey());
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.of(someoneElse), List.of());
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        byte[] m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
        assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("expected");
        assertThat(i.isFailed()).isTrue();
        assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class);
    }

    @Test
    void badResponderSignatureIsRejected() throws Exception {
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        NoiseHandshake r = new NoiseHandshake(badSigner(bob), false, Optional.empty(), List.of());
        byte[] m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
        assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("signature");
    }

    @Test
    void badInitiatorSignatureIsRejected() throws Exception {
        NoiseHandshake i = new NoiseHandshake(badSigner(alice), true, Optional.empty(), List.of());
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        byte[] m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
        byte[] m3 = ((NoiseHandshake.Done) i.receive(m2)).finalMessage().orElseThrow();
        assertThatThrownBy(() -> r.receive(m3)).isInstanceOf(NoiseException.class).hasMessageContaining("signature");
    }

    @Test
    void tamperedHandshakeMessagesFail() throws Exception {
        for (int pos : new int[] {0, 40, 100}) {
            NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
            NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
            byte[] m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
            m2[pos] ^= 0x20;
            assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class);
        }
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        byte[] m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
        byte[] m3 = ((NoiseHandshake.Done) i.receive(m2)).finalMessage().orElseThrow();
        m3[m3.length - 1] ^= 1;
        assertThatThrownBy(() -> r.receive(m3)).isInstanceOf(NoiseException.class).hasMessageContaining("tag");
    }

    @Test
    void lowOrderEphemeralIsRejected() throws Exception {
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        byte[] m1 = new byte[32]; // the all-zero point has order 1
        assertThatThrownBy(() -> r.receive(m1)).isInstanceOf(NoiseException.class).hasMessageContaining("low order");
    }

    @Test
    void outOfOrderCallsFail() throws Exception {
        NoiseHandshake r = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        assertThatThrownBy(r::start).isInstanceOf(NoiseException.class);
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        assertThatThrownBy(() -> i.receive(new byte[200])).isInstanceOf(NoiseException.class);
        NoiseHandshake i2 = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        i2.start();
        assertThatThrownBy(i2::start).isInstanceOf(NoiseException.class);
        NoiseHandshake r2 = new NoiseHandshake(bob, false, Optional.empty(), List.of());
        assertThatThrownBy(() -> r2.receive(new byte[31])).isInstanceOf(NoiseException.class).hasMessageContaining("too short");
    }

    /**
     * A responder built from the raw HandshakeState, so its payload can carry anything: here
     * unknown fields in the payload and in the extensions, which must be tolerated.
     */
    @Test
    void unknownExtensionsAreAccepted() throws Exception {
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.of(PeerId.fromPublicKey(bob.publicKey())), List.of());
        byte[] staticKey = HandshakeState.generatePrivateKey();
        HandshakeState r = new HandshakeState(false, new byte[0], staticKey, null);
        r.readMessage(i.start());
        byte[] sig = bob.sign(NoiseHandshake.concat(NoiseHandshake.SIGNATURE_PREFIX, HandshakeState.publicKeyOf(staticKey)));
        UnknownFieldSet extUnknown = UnknownFieldSet.newBuilder()
                .addField(1025, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("experimental")).build())
                .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
                .build();
        NoiseProto.NoiseExtensions ext = NoiseProto.NoiseExtensions.newBuilder()
                .addStreamMuxers("/yamux/1.0.0")
                .addWebtransportCerthashes(ByteString.copyFrom(new byte[] {0x12, 0x20, 1, 2, 3}))
                .setUnknownFields(extUnknown)
                .build();
        UnknownFieldSet topUnknown = UnknownFieldSet.newBuilder()
                .addField(3, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("data")).build())
                .addField(99, UnknownFieldSet.Field.newBuilder().addFixed64(5).build())
                .build();
        byte[] payload = NoiseProto.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(bob.publicKey().marshal()))
                .setIdentitySig(ByteString.copyFrom(sig))
                .setExtensions(ext)
                .setUnknownFields(topUnknown)
                .build().toByteArray();
        NoiseHandshake.Done done = (NoiseHandshake.Done) i.receive(r.writeMessage(payload));
        assertThat(done.session().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(done.session().remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
        byte[] theirPayload = r.readMessage(done.finalMessage().orElseThrow());
        assertThat(NoisePayloadCodec.decode(theirPayload).identityKey()).isEqualTo(alice.publicKey().marshal());
    }

    @Test
    void undecodableIdentityKeyFails() throws Exception {
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        HandshakeState r = new HandshakeState(false, new byte[0], HandshakeState.generatePrivateKey(), null);
        r.readMessage(i.start());
        byte[] payload = NoisePayloadCodec.encode(new NoisePayload(new byte[] {8, 1, 18, 3, 1, 2, 3}, new byte[64], List.of()));
        byte[] m2 = r.writeMessage(payload);
        assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("identity key");
    }

    @Test
    void missingSignatureFails() throws Exception {
        NoiseHandshake i = new NoiseHandshake(alice, true, Optional.empty(), List.of());
        HandshakeState r = new HandshakeState(false, new byte[0], HandshakeState.generatePrivateKey(), null);
        r.readMessage(i.start());
        byte[] payload = NoiseProto.NoiseHandshakePayload.newBuilder().setIdentityKey(ByteString.copyFrom(bob.publicKey().marshal())).build().toByteArray();
        byte[] m2 = r.writeMessage(payload);
        assertThatThrownBy(() -> i.receive(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("identity_sig");
    }
}
