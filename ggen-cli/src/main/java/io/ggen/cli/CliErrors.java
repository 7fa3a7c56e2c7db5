package io.ggen.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code, never a stack trace: users
 * need to know what was wrong and how to fix it. Set GGEN_DEBUG=1 to see the trace.
 */
public final class CliErrors {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private CliErrors() {}

    /** A failure whose message is already fit for the user. */
    public static class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        public UserError(String message) {
            this(message, FAILURE);
        }

        public UserError(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    static final class ExecutionHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            if (System.getenv("GGEN_DEBUG") != null) ex.printStackTrace(err);
            if (ex instanceof UserError u) {
                err.println("error: " + u.getMessage());
                err.flush();
                return u.exitCode();
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("error: " + msg);
            err.flush();
            return FAILURE;
        }
    }

    static final class ParameterHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String msg = ex.getMessage() == null ? "bad arguments" : ex.getMessage().replaceAll("\\s+", " ").trim();
            err.println("error: " + msg + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        }
    }
}
