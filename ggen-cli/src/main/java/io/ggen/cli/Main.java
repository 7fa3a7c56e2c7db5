package io.ggen.cli;

import picocli.CommandLine;

/** Entry point of the {@code ggen} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new GgenCommand());
        cmd.setExecutionExceptionHandler(new CliErrors.ExecutionHandler());
        cmd.setParameterExceptionHandler(new CliErrors.ParameterHandler());
        return cmd.execute(args);
    }
}
