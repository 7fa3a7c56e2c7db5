package io.ggen.marketplace.service;

import io.ggen.marketplace.error.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Publish the pack in {@code path} (absolute, a directory with gpack.toml), signed with the key
 * {@code key}; {@code version} (nullable) overrides the manifest's version.
 */
public record PublishRequest(Path path, String version, boolean skipVerify, String key) {
    public static final String DEFAULT_KEY = "default";

    public PublishRequest {
        if (path == null || !path.isAbsolute()) throw new InvalidRequestException("path", "must be the absolute path of a pack directory");
        if (!Files.isDirectory(path)) throw new InvalidRequestException("path", path + " is not a directory; give the pack directory that holds gpack.toml");
        if (!Files.isRegularFile(path.resolve("gpack.toml"))) throw new InvalidRequestException("path", path + " has no gpack.toml; is it a pack directory?");
        if (key == null || key.isBlank()) key = DEFAULT_KEY;
    }
}
