package io.ggen.cli.shortpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.render.OutputFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The short path takes the plain command lines, and leaves everything else to picocli. */
class ShortArgsTest {
    static Optional<ShortArgs> search(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "marketplace";
        all[1] = "search";
        System.arraycopy(args, 0, all, 2, args.length);
        return ShortArgs.parse(all, 2, Set.of("--network"), Set.of("--limit", "--format", "--min-reputation"), Set.of("--tags"), 1);
    }

    @Test
    void takesPlainOptionsFlagsAndPositionals() {
        ShortArgs a = search("rust", "--limit", "5", "--tags=a,b", "--tags", "c", "--network", "--format=yaml", "--min-reputation", "0.25").orElseThrow();
        assertThat(a.positionals()).containsExactly("rust");
        assertThat(a.integer("--limit", 20)).contains(5);
        assertThat(a.values("--tags")).containsExactly("a", "b", "c");
        assertThat(a.flag("--network")).isTrue();
        assertThat(a.format()).contains(OutputFormat.yaml);
        assertThat(a.decimal("--min-reputation").orElseThrow().value()).isEqualTo(0.25);
        ShortArgs none = search().orElseThrow();
        assertThat(none.positionals()).isEmpty();
        assertThat(none.integer("--limit", 20)).contains(20);
        assertThat(none.format()).contains(OutputFormat.table);
        assertThat(none.decimal("--min-reputation").orElseThrow().value()).isNull();
        assertThat(none.values("--tags")).isEmpty();
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("-V"), List.of("--unknown"), List.of("a", "b"),
                List.of("--", "a"), List.of("@args.txt"), List.of("--limit"), List.of("--limit", "-1"), List.of("--limit", "5", "--limit", "6"),
                List.of("--network=true"), List.of("--network", "--network"), List.of("a", "--format", "@f"))) {
            assertThat(search(args.toArray(String[]::new))).as(args.toString()).isEmpty();
        }
        // values picocli would read differently, or refuse with its own words
        assertThat(search("--limit", "010").orElseThrow().integer("--limit", 20)).isEmpty();
        assertThat(search("--limit", "0x10").orElseThrow().integer("--limit", 20)).isEmpty();
        assertThat(search("--limit", "9999999999").orElseThrow().integer("--limit", 20)).isEmpty();
        assertThat(search("--format", "JSON").orElseThrow().format()).isEmpty();
        assertThat(search("--min-reputation", "1e-1").orElseThrow().decimal("--min-reputation")).isEmpty();
        assertThat(search("--min-reputation", "NaN").orElseThrow().decimal("--min-reputation")).isEmpty();
    }
}
