package io.ggen.cli.marketplace;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.archive.PackArchiver;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.manifest.GpackManifest;
import io.ggen.marketplace.manifest.ManifestParser;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pack", mixinStandardHelpOptions = true,
        description = "Make the deterministic archive of a pack and print its CID and size (same directory, same bytes).",
        footer = {"", "Examples:", "  ggen marketplace pack ./my-pack", "  ggen marketplace pack ./my-pack --max-size 512"})
final class PackCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", defaultValue = ".", paramLabel = "<dir>", description = "The pack directory (default: current directory).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "Where to write the archive (default: <id>-<version>.tar.gz here).")
    Path output;

    @Option(names = "--max-size", paramLabel = "<MiB>", defaultValue = "256", description = "Largest total size of the pack's files, in MiB (default: ${DEFAULT-VALUE}).")
    long maxSizeMiB;

    @Override
    int execute() throws IOException {
        if (maxSizeMiB < 1) throw new MarketplaceException(MarketplaceException.Kind.USAGE, "--max-size must be at least 1 (MiB)");
        ManifestParser.Loaded l = ManifestParser.load(dir);
        GpackManifest m = l.orThrow();
        for (var w : l.warnings()) err().println(w);
        Path target = output != null ? output : Path.of(m.id() + "-" + m.version() + ".tar.gz");
        Path tmp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp");
        MessageDigest md = ContentId.sha256();
        PackArchiver.Packed packed;
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), md)) {
            packed = PackArchiver.pack(dir, l.coveredFiles(), ArchiveLimits.DEFAULT.withMaxPackBytes(maxSizeMiB << 20), out);
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ContentId cid = ContentId.ofDigest(md.digest());
        long size = Files.size(target);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("package", m.id());
        data.put("version", m.version().toString());
        data.put("cid", cid.toString());
        data.put("size", size);
        data.put("files", packed.files());
        data.put("archive", target.toString());
        emit(data, () -> {
            out().println(cid);
            out().println("size: " + size + " bytes (" + packed.files() + " files, " + packed.fileBytes() + " bytes unpacked)");
            out().println("archive: " + target);
        });
        return 0;
    }
}
