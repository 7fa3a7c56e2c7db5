package io.ggen.marketplace.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.testing.Packs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {
    /** The hand-written id check agrees with the pattern that specifies ids, on ids and near-ids. */
    @Test
    void theIdCheckAgreesWithThePattern() {
        org.quicktheories.QuickTheory.qt().withExamples(20_000).forAll(org.quicktheories.generators.SourceDSL.strings().betweenCodePoints('-', 'z').ofLengthBetween(0, 12)
                .map(t -> t.replaceAll("[^a-z0-9._-]", "."))).checkAssert(id ->
                assertThat(ManifestParser.isValidId(id)).as("'%s'", id).isEqualTo(ManifestParser.ID.matcher(id).matches()));
        for (String id : List.of("a", "io.ggen.rust.cli-subcommand", "a_b.c-d", "0.9", "x.y.z"))
            assertThat(ManifestParser.isValidId(id)).as(id).isTrue();
        for (String id : List.of("", ".", "a.", ".a", "a..b", "-a", "a-", "_a", "a_", "a.-b", "A", "a b", "a/b", "\u00e9"))
            assertThat(ManifestParser.isValidId(id)).as(id).isFalse();
    }

    @TempDir
    Path dir;

    @Test
    void parsesGgensManifestWithMarketplaceFields() throws Exception {
        Packs.write(dir, """
                [gpack]
                id = "io.ggen.rust.cli-subcommand"
                name = "Rust CLI Subcommand"
                version = "0.1.0"
                description = "Generate clap subcommands"
                license = "MIT"
                ggen_compat = ">=0.1 <0.2"
                authors = ["Ada <ada@example.org>"]
                keywords = ["rust", "cli"]
                categories = ["cli"]
                homepage = "https://example.org"

                [dependencies]
                "io.ggen.macros.std" = "^0.1"

                [templates]
                patterns = ["templates/**/*.tmpl"]

                [rdf]
                base = "https://example.org/api/"
                [rdf.prefixes]
                api = "https://example.org/api#"
                """);
        ManifestParser.Loaded l = ManifestParser.load(dir);
        assertThat(l.problems()).isEmpty();
        GpackManifest m = l.manifest();
        assertThat(m.id()).isEqualTo("io.ggen.rust.cli-subcommand");
        assertThat(m.dependencies()).containsOnlyKeys("io.ggen.macros.std");
        assertThat(m.rdf().prefixes()).containsEntry("api", "https://example.org/api#");
        assertThat(l.coveredFiles()).containsExactly("README.md", "gpack.toml", "templates/cli/main.tmpl");
    }

    @Test
    void defaultGlobsApplyWhenPatternsAreEmpty() throws Exception {
        Packs.pack(dir, "a.b", "1.0.0");
        ManifestParser.Loaded l = ManifestParser.load(dir);
        assertThat(l.coveredFiles()).containsExactly("README.md", "gpack.toml", "templates/cli/lib.tera", "templates/cli/main.tmpl");
    }

    @Test
    void reportsEveryProblemWithLineColumnAndRule() throws Exception {
        Packs.write(dir, """
                [gpack]
                id = "Bad Id"
                name = "x"
                version = "1.0"
                license = "MIT"
                ggen_compat = ">=1.x.2"
                homepage = "ftp://x"
                colour = "blue"

                [dependencies]
                "io.ggen.other" = "^^1"

                [templates]
                patterns = ["nothing/**/*.tmpl"]
                """);
        ManifestParser.Loaded l = ManifestParser.load(dir);
        List<String> lines = l.problems().stream().map(ManifestProblem::toString).toList();
        assertThat(l.ok()).isFalse();
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:2:1: error[id-syntax]"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:4:1: error[semver]") && s.contains("MAJOR.MINOR.PATCH"));
        assertThat(lines).anyMatch(s -> s.contains("error[missing-field]") && s.contains("'description'"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:6:1: error[range]"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:7:1: error[url]"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:8:1: warning[unknown-key]"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:11:1: error[range]") && s.contains("io.ggen.other"));
        assertThat(lines).anyMatch(s -> s.contains("gpack.toml:14:1: error[glob-no-match]") && s.contains("nothing/**/*.tmpl"));
        assertThat(l.errors()).hasSize(7);
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void tomlSyntaxErrorsHavePositions() throws Exception {
        Packs.write(dir, "[gpack]\nid = \"a\nname = 1\n");
        ManifestParser.Loaded l = ManifestParser.load(dir);
        assertThat(l.problems()).isNotEmpty().allMatch(p -> p.rule().equals("toml") && p.line() == 2);
    }

    @Test
    void missingManifestAndHostilePaths() throws Exception {
        assertThat(ManifestParser.load(dir).problems().get(0).rule()).isEqualTo("missing-file");
        Packs.write(dir, Packs.manifest("a.b", "1.0.0", "[macros]\npaths = [\"../../etc\"]\n"));
        assertThat(ManifestParser.load(dir).problems().toString()).contains("error[path]");
    }

    @Test
    void arbitraryTextNeverThrowsOnlyReportsProblems() {
        String[] pieces = {"[gpack]\n", "id = ", "version = ", "\"1.0.0\"", "\"a.b\"", "[[x]]\n", "= =", "\n", "[dependencies]\n", "\"a\" = 1\n",
                "ggen_compat = \">=\"\n", "\u0000", "{", "}", "[templates]\npatterns = [\"**/\"]\n", "'", "\"\"\"", "\\"};
        org.quicktheories.QuickTheory.qt().withExamples(300)
                .forAll(org.quicktheories.generators.SourceDSL.lists().of(org.quicktheories.generators.SourceDSL.integers().between(0, pieces.length - 1)).ofSizeBetween(0, 20))
                .checkAssert(picks -> {
                    StringBuilder text = new StringBuilder();
                    picks.forEach(i -> text.append(pieces[i]));
                    ManifestParser.Loaded l = ManifestParser.parseText(text.toString(), Path.of("gpack.toml"));
                    assertThat(l.ok() ? l.manifest() : l.errors()).isNotNull();
                    if (!l.ok()) assertThat(l.errors()).isNotEmpty();
                });
    }

    @Test
    void globSemantics() {
        assertThat(Glob.compile("templates/**/*.tmpl").matches("templates/x.tmpl")).isTrue();
        assertThat(Glob.compile("templates/**/*.tmpl").matches("templates/a/b/x.tmpl")).isTrue();
        assertThat(Glob.compile("*.tmpl").matches("a/x.tmpl")).isFalse();
        assertThat(Glob.compile("{a,b}/*.ttl").matches("b/x.ttl")).isTrue();
        assertThat(Glob.compile("x[!0-9].rq").matches("xa.rq")).isTrue();
        assertThat(Glob.compile("macros/**").matches("macros/a/b")).isTrue();
    }

    /** Found by ManifestFuzzTest: tomlj throws for this escape instead of reporting it, and the parser let it out. */
    @Test
    void anInvalidEscapeInAQuotedTableKeyIsATomlProblemNotAnException() {
        ManifestParser.Loaded l = ManifestParser.parseText("[gpack]\nid = \"a\"\n[\"m\\E\"]\nx = 1\n", Path.of("gpack.toml"));
        assertThat(l.manifest()).isNull();
        assertThat(l.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("toml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("escape");
        });
    }

    /** Found by ManifestFuzzTest: a message quoting a value with a line break ran over two lines. */
    @Test
    void aProblemQuotingAValueWithALineBreakStaysOneLine() {
        ManifestParser.Loaded l = ManifestParser.parseText(Packs.manifest("a.b", "1.0.0", "[dependencies]\n\"io.gg\\n\\u001b[2J.x\" = \"^0.1\"\n"), Path.of("gpack.toml"));
        assertThat(l.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.message()).doesNotContain("\n", "\u001b"));
        assertThat(l.problems()).anySatisfy(p -> assertThat(p.message()).contains("io.gg\\n\\u001b[2J.x"));
    }

    /** Found by ManifestFuzzTest: these reached Pattern.compile and failed there, not in the glob's own checks. */
    @Test
    void malformedCharacterClassesAreRefusedByTheGlobItself() {
        for (String g : List.of("x[z-a].tmpl", "x[!].tmpl")) {
            assertThatThrownBy(() -> Glob.compile(g)).isInstanceOf(IllegalArgumentException.class)
                    .isNotInstanceOf(java.util.regex.PatternSyntaxException.class);
        }
        assertThat(Glob.compile("x[]].tmpl").matches("x].tmpl")).isTrue();
        assertThat(Glob.compile("x[a-c].tmpl").matches("xb.tmpl")).isTrue();
    }
}
