package io.ggen.cli;

import io.ggen.cli.errors.CliErrors;
import picocli.CommandLine;

/** Entry point of the {@code ggen} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
public final class Main {
    private Main() {}

    /**
     * The values of {@code GGEN_LOG_LEVEL} (the node's {@code log.level}; a test keeps the two
     * lists equal). Checked here for every command, not only those that start a node: logback
     * would silently ignore a wrong one.
     */
    static final java.util.List<String> LOG_LEVELS = java.util.List.of("error", "warn", "info", "debug", "trace");

    public static void main(String[] args) {
        String level = System.getenv("GGEN_LOG_LEVEL");
        if (level != null && !LOG_LEVELS.contains(level.trim().toLowerCase(java.util.Locale.ROOT))) {
            // the words of the node's configuration loader, which says the same of the same variable
            System.err.println("error: environment GGEN_LOG_LEVEL: log.level: expected one of " + String.join(", ", LOG_LEVELS) + ", got \"" + level + "\"");
            System.exit(CliErrors.USAGE);
        }
        System.exit(fastPath(args).orElseGet(() -> run(args)));
    }

    /** Commands answered without building the whole command tree (see StatusCommand). */
    static java.util.Optional<Integer> fastPath(String[] args) {
        try {
            return io.ggen.cli.p2p.StatusCommand.fastPath(args);
        } catch (io.ggen.node.error.NodeError e) {
            if (System.getenv("GGEN_DEBUG") != null) e.printStackTrace();
            System.err.println("error: " + e.getMessage());
            return java.util.Optional.of(e instanceof CliErrors.UserError u ? u.exitCode() : CliErrors.FAILURE);
        }
    }

    public static int run(String... args) {
        CommandLine cmd = GgenCommand.commandLine();
        cmd.setExecutionExceptionHandler(new CliErrors.ExecutionHandler());
        cmd.setParameterExceptionHandler(new CliErrors.ParameterHandler());
        return cmd.execute(args);
    }
}
