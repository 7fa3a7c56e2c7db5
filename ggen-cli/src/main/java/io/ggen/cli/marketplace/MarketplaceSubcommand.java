package io.ggen.cli.marketplace;

import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shared plumbing of the marketplace commands: the data directory, {@code --format}, and the
 * translation of marketplace errors into one line and an exit code (2 for usage errors, 1 for
 * everything else), never a stack trace.
 */
abstract class MarketplaceSubcommand implements Callable<Integer> {
    enum Format { table, json, yaml }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public final Integer call() throws Exception {
        return guard(() -> execute());
    }

    /**
     * Runs a marketplace command's body with its failures as users read them: marketplace
     * refusals and file errors become one-line UserErrors (picocli's path and the short path alike).
     */
    static int guard(Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (MarketplaceException e) {
            throw CliErrors.of(e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no such file or directory: " + e.getFile());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UserError("already exists: " + e.getFile());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("permission denied: " + e.getFile());
        } catch (java.io.IOException e) {
            throw new UserError("I/O error: " + e.getMessage());
        }
    }

    abstract int execute() throws Exception;

    MarketplaceHome home() {
        return MarketplaceHome.fromEnvironment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints data as JSON or YAML, or runs the table printer. */
    void emit(Object data, Runnable table) {
        if (format == Format.table) table.run();
        else Output.print(data, OutputFormat.valueOf(format.name()), out());
        out().flush();
    }

    static String time(long millis) {
        return Output.instant(millis);
    }

    static String shorten(String s, int max) {
        return Output.shorten(s, max);
    }
}
