package io.ggen.marketplace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("description", "license", "keywords", "categories", "ggen_compat");

    @Test
    void aSlipOfTheFingersIsMatched() {
        assertThat(Suggestions.closest("descripton", KEYS)).contains("description");
        assertThat(Suggestions.closest("licence", KEYS)).contains("license");
        assertThat(Suggestions.closest("ggen-compat", KEYS)).contains("ggen_compat");
    }

    @Test
    void somethingElseEntirelyIsNot() {
        assertThat(Suggestions.closest("homepage_url_of_the_project", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x".repeat(100), KEYS)).isEmpty();
        assertThat(Suggestions.closest("abc", List.of())).isEmpty();
    }

    @Test
    void distanceIsLevenshtein() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
