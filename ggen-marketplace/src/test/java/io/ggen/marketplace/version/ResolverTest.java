package io.ggen.marketplace.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverTest {
    private final Map<String, List<Resolver.Candidate>> registry = new HashMap<>();

    private void add(String id, String version, String... deps) {
        Map<String, VersionReq> d = new HashMap<>();
        for (int i = 0; i < deps.length; i += 2) d.put(deps[i], VersionReq.parse(deps[i + 1]));
        registry.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(new Resolver.Candidate(Version.parse(version), d));
    }

    private Map<String, Resolver.Candidate> resolve(String id, String req) {
        return new Resolver(k -> registry.getOrDefault(k, List.of())).resolve(List.of(new Resolver.Requirement(id, VersionReq.parse(req), null)));
    }

    @Test
    void picksTheHighestMatchAndFollowsDependencies() {
        add("a", "1.0.0", "b", "^1");
        add("a", "1.1.0", "b", "^1.2");
        add("a", "2.0.0");
        add("b", "1.1.0");
        add("b", "1.3.0");
        add("b", "2.0.0");
        Map<String, Resolver.Candidate> r = resolve("a", "^1");
        assertThat(r.get("a").version()).hasToString("1.1.0");
        assertThat(r.get("b").version()).hasToString("1.3.0");
    }

    @Test
    void backtracksToAnOlderVersionWhenANewerOneConflicts() {
        add("app", "1.0.0", "x", "*", "y", "^1");
        add("x", "2.0.0", "y", "^2");
        add("x", "1.0.0", "y", "^1");
        add("y", "1.0.0");
        add("y", "2.0.0");
        Map<String, Resolver.Candidate> r = resolve("app", "*");
        assertThat(r.get("x").version()).hasToString("1.0.0");
        assertThat(r.get("y").version()).hasToString("1.0.0");
    }

    @Test
    void explainsAConflict() {
        add("app", "1.0.0", "b", "^1", "c", "^1");
        add("b", "1.0.0", "d", "^1");
        add("c", "1.0.0", "d", "^2");
        add("d", "1.0.0");
        add("d", "2.0.0");
        assertThatThrownBy(() -> resolve("app", "*"))
                .hasMessageContaining("cannot resolve d")
                .hasMessageContaining("b@1.0.0 requires d@^1")
                .hasMessageContaining("c@1.0.0 requires d@^2")
                .hasMessageContaining("available versions: 2.0.0, 1.0.0");
    }

    @Test
    void missingPackagesAreNamed() {
        add("app", "1.0.0", "ghost", "^1");
        assertThatThrownBy(() -> resolve("app", "*")).hasMessageContaining("package ghost not found");
    }
}
