package io.ggen.p2p.multiformats;

import io.ggen.p2p.crypto.InvalidKeyException;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/** Generators and checks shared by the property tests of multiformats and crypto. */
public final class TestGens {
    private TestGens() {}

    public static Gen<byte[]> bytes(int maxLength) {
        return Generate.byteArrays(Generate.range(0, maxLength), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    public static Gen<byte[]> bytes(int minLength, int maxLength) {
        return Generate.byteArrays(Generate.range(minLength, maxLength), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** Printable ASCII, the alphabet of every text form here. */
    public static Gen<String> asciiStrings(int maxLength) {
        return strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, maxLength);
    }

    /** Any code points, surrogates and controls included. */
    public static Gen<String> anyStrings(int maxLength) {
        return strings().allPossible().ofLengthBetween(0, maxLength);
    }

    /** Corruptions of a valid encoding: truncation, a changed byte, or garbage appended. */
    public static Gen<byte[]> mutations(byte[] valid) {
        Gen<byte[]> truncated = integers().between(0, valid.length).map(n -> java.util.Arrays.copyOf(valid, n));
        Gen<byte[]> flipped = integers().between(0, Math.max(0, valid.length - 1)).zip(integers().between(1, 255), (i, x) -> {
            byte[] b = valid.clone();
            if (b.length > 0) b[i] ^= (byte) (int) x;
            return b;
        });
        Gen<byte[]> extended = bytes(1, 64).map(tail -> {
            byte[] b = java.util.Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, b, valid.length, tail.length);
            return b;
        });
        return truncated.mix(flipped).mix(extended);
    }

    /** Corruptions of valid text: truncation, a changed character, or characters inserted. */
    public static Gen<String> mutations(String valid) {
        Gen<String> truncated = integers().between(0, valid.length()).map(n -> valid.substring(0, n));
        Gen<String> replaced = integers().between(0, Math.max(0, valid.length() - 1)).zip(integers().between(0x20, 0x7e), (i, c) ->
                valid.isEmpty() ? String.valueOf((char) (int) c) : valid.substring(0, i) + (char) (int) c + valid.substring(i + 1));
        Gen<String> inserted = integers().between(0, valid.length()).zip(asciiStrings(8), (i, s) -> valid.substring(0, i) + s + valid.substring(i));
        return truncated.mix(replaced).mix(inserted);
    }

    /**
     * Runs a decoder on hostile input: it may succeed or throw {@link MultiformatException} or
     * {@link InvalidKeyException}; anything else escapes and fails the property.
     */
    public static void decodesOrRejects(Runnable decoder) {
        try {
            decoder.run();
        } catch (MultiformatException | InvalidKeyException expected) {
            // the only acceptable failures
        }
    }
}
