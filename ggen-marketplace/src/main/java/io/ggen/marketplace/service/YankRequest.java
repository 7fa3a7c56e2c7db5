package io.ggen.marketplace.service;

import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionException;

/**
 * Yank {@code spec} ({@code <id>@<version>}, one exact version), with an optional reason, signed
 * with the key {@code key} (null: the user's key that owns the package). Rules checked here, once.
 */
public record YankRequest(String spec, String reason, String key) {
    /** Characters of a reason: well inside the record's limit whatever the script. */
    public static final int MAX_REASON = 1000;

    public YankRequest {
        spec = spec == null ? "" : spec.strip();
        reason = reason == null ? "" : reason.strip();
        if (key != null && key.isBlank()) key = null;
        int at = spec.indexOf('@');
        String example = "; give <id>@<version>, e.g. io.ggen.rust.cli@1.2.3";
        if (at <= 0) throw new InvalidRequestException("spec", "'" + spec + "' is not <id>@<version>" + example);
        String id = spec.substring(0, at);
        if (id.length() > ManifestParser.MAX_ID || !ManifestParser.isValidId(id)) {
            throw new InvalidRequestException("spec", "'" + id + "' is not a package id" + example);
        }
        try {
            Version.parse(spec.substring(at + 1));
        } catch (VersionException e) {
            throw new InvalidRequestException("spec", "'" + spec + "': the version must be one exact version (" + e.getMessage() + ")" + example);
        }
        if (reason.length() > MAX_REASON) throw new InvalidRequestException("reason", "is longer than " + MAX_REASON + " characters");
    }

    public String id() {
        return spec.substring(0, spec.indexOf('@'));
    }

    public Version version() {
        return Version.parse(spec.substring(spec.indexOf('@') + 1));
    }
}
