package io.ggen.cli.errors;

import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.node.error.NodeError;
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

    /** A failure whose message is already fit for the user (the node's own such failures included). */
    public static class UserError extends NodeError {
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

    /**
     * A request the use cases refused, spoken of as the command line spells it: a field of the
     * request is a flag ({@code limit} is {@code --limit}), but the positional arguments keep
     * their names ({@code <query>}).
     */
    public static UserError of(InvalidRequestException e) {
        String name = switch (e.field()) {
            case "query", "path", "spec" -> "<" + e.field() + ">";
            case "addrs" -> "<multiaddr>";
            case "timeout_ms" -> "--timeout";
            default -> "--" + e.field().replace('_', '-');
        };
        return new UserError(name + " " + e.problem(), USAGE);
    }

    /** A marketplace refusal: a usage error (exit 2) when the user's input was wrong, else a failure (exit 1). */
    public static UserError of(MarketplaceException e) {
        if (e instanceof InvalidRequestException r) return of(r);
        return new UserError(e.getMessage(), e.kind() == MarketplaceException.Kind.USAGE ? USAGE : FAILURE);
    }

    public static final class ExecutionHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
            return report(ex, cmd.getErr());
        }
    }

    /**
     * Prints a command's failure as its "error: " lines and returns the exit code: what picocli's
     * execution handler does, and the launcher's short path too (same words, same codes).
     */
    public static int report(Exception ex, PrintWriter err) {
        if (System.getenv("GGEN_DEBUG") != null) ex.printStackTrace(err);
        if (ex instanceof MarketplaceException m) ex = of(m);
        if (ex instanceof UserError u) {
            printLines(err, u.getMessage());
            return u.exitCode();
        }
        printLines(err, ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        return FAILURE;
    }

    /** Each line of a message as its own "error: " line (a manifest with three problems says three). */
    static void printLines(PrintWriter err, String message) {
        for (String line : String.valueOf(message).split("\n", 64)) err.println("error: " + line);
        err.flush();
    }

    public static final class ParameterHandler implements IParameterExceptionHandler {
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
