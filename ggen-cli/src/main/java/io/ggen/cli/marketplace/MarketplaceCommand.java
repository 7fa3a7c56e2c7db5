package io.ggen.cli.marketplace;

import io.ggen.cli.p2p.P2pCommand;
import picocli.CommandLine.Command;

@Command(name = "marketplace", mixinStandardHelpOptions = true,
        description = "Publish, search and install gpacks.",
        subcommands = {P2pCommand.class})
public final class MarketplaceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
