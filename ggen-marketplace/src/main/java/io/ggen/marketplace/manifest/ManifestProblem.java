package io.ggen.marketplace.manifest;

import io.ggen.marketplace.text.OneLine;
import java.nio.file.Path;

/**
 * One thing wrong with a manifest, located at file:line:column (1-based; 0 when there is no
 * position, e.g. a missing table) and naming the rule broken, so a user can fix it without
 * guessing.
 */
public record ManifestProblem(Path file, int line, int column, Severity severity, String rule, String message) {
    public enum Severity { ERROR, WARNING }

    public ManifestProblem {
        // Messages quote the manifest's values, which may hold any character (fuzzing: an id with "\n").
        message = OneLine.of(message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return where() + ": " + (isError() ? "error" : "warning") + "[" + rule + "]: " + message;
    }

    /** The file, with line and column when known: {@code gpack.toml:3:1}. */
    public String where() {
        return line > 0 ? file + ":" + line + ":" + column : file.toString();
    }
}
