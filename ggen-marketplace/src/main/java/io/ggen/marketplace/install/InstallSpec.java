package io.ggen.marketplace.install;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.version.VersionException;
import io.ggen.marketplace.version.VersionReq;

/**
 * {@code id}, {@code id@range} or {@code id@x.y.z} from the command line. A full version means
 * exactly that version (like {@code cargo install foo@1.2.3}); anything else is a range.
 */
public record InstallSpec(String id, VersionReq range) {
    public static InstallSpec parse(String text) {
        String t = text == null ? "" : text.strip();
        int at = t.indexOf('@');
        String id = at < 0 ? t : t.substring(0, at);
        if (id.isEmpty() || id.length() > ManifestParser.MAX_ID || !ManifestParser.isValidId(id)) {
            throw new MarketplaceException(MarketplaceException.Kind.USAGE, "'" + text + "' is not a package id (expected <id>[@<range>], e.g. io.ggen.rust.cli@^1.2)");
        }
        if (at < 0) return new InstallSpec(id, VersionReq.ANY);
        try {
            return new InstallSpec(id, VersionReq.parse(t.substring(at + 1), VersionReq.BareVersion.EXACT));
        } catch (VersionException e) {
            throw new MarketplaceException(MarketplaceException.Kind.USAGE, "'" + text + "': bad version range at character " + (at + 2 + e.column()) + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return id + "@" + range;
    }
}
