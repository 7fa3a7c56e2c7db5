package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankTermsTest {
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        RankTerms.asciiTokens(text, out::add);
        return out;
    }

    @Test
    void asciiIsSplitIntoRunsOfLettersAndDigitsLowerCased() {
        assertThat(tokens("io.ggen-rust_cli  x86_64, ABC;d'e")).containsExactly("io", "ggen", "rust", "cli", "x86", "64", "abc", "d", "e");
        assertThat(tokens("")).isEmpty();
        assertThat(tokens(" -- ")).isEmpty();
    }

    @Test
    void aVectorWeightsEachColumnAndIsRefusedWhenItsCountsDifferFromTheIndex() {
        RankTerms.Builder b = new RankTerms.Builder();
        String[] columns = {"io.rust.cli", "Rust CLI", "a rust tool", "rust", ""};
        for (int c = 0; c < columns.length; c++) {
            int column = c;
            RankTerms.asciiTokens(columns[c], t -> b.add(column, t));
        }
        // rust: id 10 + name 5 + description 1 + keywords 3 = 19; cli: 10 + 5
        assertThat(b.encode("io.rust.cli", new long[] {3, 2, 3, 1, 0}, true)).isEqualTo("io.rust.cli 9 io:10 rust:19 cli:15 a:1 tool:1");
        assertThat(b.encode("io.rust.cli", null, false)).isEqualTo("io.rust.cli 9 io:10 rust:19 cli:15 a:1 tool:1");
        assertThat(b.encode("io.rust.cli", new long[] {3, 2, 3, 1, 1}, true)).isNull();
        assertThat(b.encode("io.rust.cli", new long[] {3, 2, 3, 1}, true)).isNull();
        assertThat(b.encode("io.rust.cli", null, true)).isNull();
        assertThat(b.encode("an id", new long[] {3, 2, 3, 1, 0}, true)).isNull();
        RankTerms.Builder odd = new RankTerms.Builder();
        odd.add(0, "a:b");
        assertThat(odd.encode("x", new long[] {1, 0, 0, 0, 0}, true)).isNull();
    }

    @Test
    void termsOfAsciiWordsOnly() {
        assertThat(RankTerms.Term.of("\"Rust\"")).isEqualTo(new RankTerms.Term("rust", false));
        assertThat(RankTerms.Term.of("\"ru\"*")).isEqualTo(new RankTerms.Term("ru", true));
        assertThat(RankTerms.Term.of("\"café\"")).isNull();
        assertThat(RankTerms.Term.of("\"\"")).isNull();
    }

    @Test
    void candidatesAreScoredFromTheirLines() {
        RankTerms.Term[] rust = {new RankTerms.Term("rust", false)};
        String lines = "7 io.a 4 a:1 rust:19\n9 io.b 2 rust:1 rusty:5";
        List<RankTerms.Scored> scored = RankTerms.rank(lines, rust, new double[] {2.0}, 3.0);
        assertThat(scored).extracting(RankTerms.Scored::rowid).containsExactly(7L, 9L);
        assertThat(scored).extracting(RankTerms.Scored::id).containsExactly("io.a", "io.b");
        assertThat(scored.get(0).score()).isEqualTo(RankTerms.score(new double[] {2.0}, new double[] {19}, 4, 3.0));
        // a prefix sums every token that starts with it, in its own line only
        List<RankTerms.Scored> prefixed = RankTerms.rank(lines, new RankTerms.Term[] {new RankTerms.Term("rus", true)}, new double[] {1.0}, 3.0);
        assertThat(prefixed.get(1).score()).isEqualTo(RankTerms.score(new double[] {1.0}, new double[] {6}, 2, 3.0));
        // a line without the term: the index matched what this vector does not hold
        assertThat(RankTerms.rank(lines, new RankTerms.Term[] {new RankTerms.Term("rusty", false)}, new double[] {1.0}, 3.0)).isNull();
        // the id and length fields never count as tokens
        assertThat(RankTerms.rank("7 io.a 4 a:1", new RankTerms.Term[] {new RankTerms.Term("4", true)}, new double[] {1.0}, 3.0)).isNull();
    }

    @Test
    void malformedLinesAreRefusedNotThrown() {
        RankTerms.Term[] t = {new RankTerms.Term("a", false)};
        for (String bad : List.of("", "x io 1 a:1", "7 io", "7 io 1", "7 io x a:1", "7 io 1 a:x", "7 io 1 a:", "7 io 1 a:99999999999",
                "7 io 0 a:1", "99999999999999999999 io 1 a:1", "\n", "7 io 1 a:1\n")) {
            assertThat(RankTerms.rank(bad, t, new double[] {1.0}, 1.0)).as(bad).isNull();
        }
        qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 80), strings().basicLatinAlphabet().ofLengthBetween(1, 3))
                .checkAssert((text, term) -> RankTerms.rank(text, new RankTerms.Term[] {new RankTerms.Term(term, text.length() % 2 == 0)},
                        new double[] {1.0}, 1.0));
    }

    @Test
    void varintsAreReadAsSqliteWritesThemAndHostileBlobsAreRefused() {
        assertThat(RankTerms.varints(new byte[] {3, (byte) 0x81, 0x00, 0x7f}, 3)).containsExactly(3, 128, 127);
        assertThat(RankTerms.varints(new byte[] {3, (byte) 0x81}, 2)).isNull();
        assertThat(RankTerms.varints(new byte[] {}, 1)).isNull();
        assertThat(RankTerms.varints(null, 1)).isNull();
        byte[] nine = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(RankTerms.varints(nine, 1)).isNull();
        qt().forAll(integers().between(0, 40), integers().allPositive()).checkAssert((len, seed) -> {
            byte[] blob = new byte[len];
            new java.util.Random(seed).nextBytes(blob);
            long[] v = RankTerms.varints(blob, 6);
            if (v != null) for (long x : v) assertThat(x).isBetween(0L, 1L << 48);
        });
    }

    @Test
    void idfIsClampedAsFts5ClampsIt() {
        assertThat(RankTerms.idf(100, 1)).isEqualTo(Math.log(99.5 / 1.5));
        assertThat(RankTerms.idf(100, 60)).isEqualTo(1e-6);
    }
}
