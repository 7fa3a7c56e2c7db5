package io.ggen.marketplace.manifest;

import io.ggen.marketplace.error.MarketplaceException;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest with at least one error; carries every problem found, not just the first. */
public final class ManifestException extends MarketplaceException {
    private static final long serialVersionUID = 1L;
    private final transient List<ManifestProblem> problems;

    public ManifestException(List<ManifestProblem> problems) {
        // One line per error, each with its place and rule; the front end says "error" itself.
        super(Kind.INVALID, problems.stream().filter(ManifestProblem::isError).map(p -> p.where() + ": " + p.message() + " [" + p.rule() + "]")
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ManifestProblem> problems() {
        return problems;
    }
}
