package io.ggen.p2p.security.noise;

import java.util.List;

/**
 * The decoded libp2p {@code NoiseHandshakePayload}: the sender's identity key (protobuf
 * {@code PublicKey} encoding), its signature over the Noise static key, and the extensions.
 * Arrays are not copied: instances are built and consumed inside this package.
 */
public record NoisePayload(byte[] identityKey, byte[] identitySig, List<byte[]> webtransportCerthashes, List<String> streamMuxers) {
    public NoisePayload {
        webtransportCerthashes = List.copyOf(webtransportCerthashes);
        streamMuxers = List.copyOf(streamMuxers);
    }

    public NoisePayload(byte[] identityKey, byte[] identitySig, List<String> streamMuxers) {
        this(identityKey, identitySig, List.of(), streamMuxers);
    }
}
