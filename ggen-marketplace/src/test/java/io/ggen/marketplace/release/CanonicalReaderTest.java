package io.ggen.marketplace.release;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Defects fuzzing found in the canonical reader, each as the smallest input that showed it. */
class CanonicalReaderTest {

    /** A ten-byte length varint reads as a negative long; it was cast to an int and escaped as an IllegalArgumentException. */
    @Test
    void aLengthOfTwoToTheSixtyThreeOrMoreIsRefusedAsARecordError() {
        byte[] field1OfLength2Pow64Minus1 = {0x0a, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01, 0x00};
        assertThatThrownBy(() -> new CanonicalReader(field1OfLength2Pow64Minus1, "test").bytes(1, 64))
                .isInstanceOf(RecordException.class).hasMessageContaining("longer than 64");
        byte[] length2Pow63Plus5 = {0x0a, -123, -128, -128, -128, -128, -128, -128, -128, -128, 0x01, 1, 2, 3, 4, 5};
        assertThatThrownBy(() -> new CanonicalReader(length2Pow63Plus5, "test").bytes(1, 64)).isInstanceOf(RecordException.class);
    }

    /** A tag of more than 32 bits was truncated to an int, so a huge field number could pass for field 1. */
    @Test
    void aTagBeyondThirtyTwoBitsMatchesNoField() {
        // tag = (2^32 + 1) << 3 | 2: truncated, it read as field 1, length-delimited
        byte[] aliasOfField1 = {-118, -128, -128, -128, -128, 0x01, 0x01, 0x41};
        assertThatThrownBy(() -> {
            CanonicalReader r = new CanonicalReader(aliasOfField1, "test");
            r.bytes(1, 64);
            r.end();
        }).isInstanceOf(RecordException.class);
    }
}
