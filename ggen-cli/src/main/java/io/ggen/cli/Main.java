package io.ggen.cli;

import io.ggen.cli.errors.CliErrors;
import picocli.CommandLine;

/** Entry point of the {@code ggen} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
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
