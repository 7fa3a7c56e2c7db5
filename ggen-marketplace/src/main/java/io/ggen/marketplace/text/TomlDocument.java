package io.ggen.marketplace.text;

import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * TOML text parsed with tomlj, with every syntax error in {@link #errors}. tomlj reports most
 * errors in its result but throws a few (fuzzing found an invalid escape in a quoted table key,
 * {@code ["a\E"]}); callers here get both kinds the same way and never an exception.
 *
 * @param result the parsed document, or null when tomlj threw
 * @param errors syntax errors, first one first; empty when the text parsed
 */
public record TomlDocument(TomlParseResult result, List<TomlParseError> errors) {
    public TomlDocument {
        errors = List.copyOf(errors);
    }

    public static TomlDocument parse(String text) {
        try {
            TomlParseResult r = Toml.parse(text);
            return new TomlDocument(r, r.errors());
        } catch (TomlParseError e) {
            return new TomlDocument(null, List.of(e));
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
