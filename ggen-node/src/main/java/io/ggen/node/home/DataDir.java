package io.ggen.node.home;

import io.ggen.marketplace.fs.PrivateDirs;
import io.ggen.node.error.NodeError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The node's data directory: {@code $GGEN_HOME}, or {@code ~/.ggen}. */
public final class DataDir {
    private final Path root;

    private DataDir(Path root) {
        this.root = root;
    }

    public static DataDir fromEnvironment() {
        String home = System.getenv("GGEN_HOME");
        Path p = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".ggen");
        return new DataDir(p.toAbsolutePath());
    }

    public static DataDir of(Path root) {
        return new DataDir(root.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /**
     * How the user runs {@code ggen <args>} against this data directory: with
     * {@code GGEN_HOME=...} in front unless it is the default {@code ~/.ggen}, so a hint printed
     * for a second node stops that node, not the first.
     */
    public String command(String args) {
        Path standard = Path.of(System.getProperty("user.home"), ".ggen").toAbsolutePath();
        String prefix = root.equals(standard) ? "" : "GGEN_HOME=" + shellQuoted(root.toString()) + " ";
        return prefix + "ggen " + args;
    }

    private static String shellQuoted(String s) {
        return s.matches("[A-Za-z0-9_./:@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    public Path configFile() {
        return root.resolve("p2p-config.toml");
    }

    /** The running node's pid, API port and addresses (JSON), present while it runs. */
    public Path nodeInfoFile() {
        return root.resolve("node.json");
    }

    public Path pidFile() {
        return root.resolve("node.pid");
    }

    public Path lockFile() {
        return root.resolve("node.lock");
    }

    public Path tokenFile() {
        return root.resolve("api.token");
    }

    public Path logDir() {
        return root.resolve("logs");
    }

    public Path logFile() {
        return logDir().resolve("node.log");
    }

    /** Creates the directory (mode 0700, and so any parent it creates) if it does not exist. */
    public void ensure() {
        try {
            PrivateDirs.create(root);
        } catch (IOException e) {
            throw new NodeError("cannot create the data directory " + root + ": " + e.getMessage() + " (set GGEN_HOME to a writable directory)");
        }
    }

    /** The directory's mode when other users can reach into it (a data directory made by an older ggen, or by hand), else empty. */
    public Optional<String> looseMode() {
        return PrivateDirs.looseMode(root);
    }
}
