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

    /**
     * Commands answered without building picocli's command tree (about a third of a short
     * command's start-up): the client commands, with plain arguments (see ShortArgs). Empty when
     * picocli should parse the command line.
     */
    static java.util.Optional<Integer> fastPath(String[] args) {
        try {
            // Without picocli's command tree (about 190 classes, and reflection over every
            // command's annotations): 0.09 s through the launcher, against 0.22-0.39 s.
            if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
                System.out.println("ggen " + Version.get());
                System.out.flush();
                return java.util.Optional.of(System.out.checkError() ? CliErrors.FAILURE : 0);
            }
            if (args.length < 2 || !args[0].equals("marketplace")) return java.util.Optional.empty();
            return switch (args[1]) {
                case "search" -> io.ggen.cli.marketplace.SearchCommand.fastPath(args);
                case "info" -> io.ggen.cli.marketplace.InfoCommand.fastPath(args);
                case "list" -> io.ggen.cli.marketplace.ListCommand.fastPath(args);
                case "p2p" -> args.length < 3 ? java.util.Optional.<Integer>empty() : switch (args[2]) {
                    case "status" -> io.ggen.cli.p2p.StatusCommand.fastPath(args);
                    case "peer-list" -> io.ggen.cli.p2p.PeerListCommand.fastPath(args);
                    case "peer-info" -> io.ggen.cli.p2p.PeerInfoCommand.fastPath(args);
                    case "search" -> io.ggen.cli.p2p.P2pSearchCommand.fastPath(args);
                    case "publish" -> io.ggen.cli.p2p.P2pPublishCommand.fastPath(args);
                    default -> java.util.Optional.<Integer>empty();
                };
                default -> java.util.Optional.empty();
            };
        } catch (Exception e) {
            return java.util.Optional.of(CliErrors.report(e, new java.io.PrintWriter(System.err, true, java.nio.charset.Charset.defaultCharset())));
        }
    }

    public static int run(String... args) {
        CommandLine cmd = GgenCommand.commandLine();
        cmd.setExecutionExceptionHandler(new CliErrors.ExecutionHandler());
        cmd.setParameterExceptionHandler(new CliErrors.ParameterHandler());
        return cmd.execute(args);
    }
}
