package io.ggen.cli;

import io.ggen.cli.marketplace.MarketplaceCommand;
import picocli.CommandLine.Command;

@Command(name = "ggen", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "ggen: the peer-to-peer marketplace for ggen template packs (gpacks).",
        subcommands = {MarketplaceCommand.class, CompletionCommand.class},
        footer = {"", "Examples:", "  ggen marketplace p2p start --daemon", "  ggen marketplace p2p search rust", "  ggen marketplace p2p install io.ggen.rust.cli",
                "  source <(ggen completion)"})
public final class GgenCommand implements Runnable {
    /**
     * Help is laid out for this many columns, so that the examples (a multiaddr with a peer id is
     * long) are printed whole instead of being broken in the middle of a command.
     */
    static final int USAGE_WIDTH = 130;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The whole command tree, as {@code ggen} runs it. */
    public static picocli.CommandLine commandLine() {
        picocli.CommandLine cmd = new picocli.CommandLine(new GgenCommand());
        cmd.setUsageHelpWidth(USAGE_WIDTH);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
