package io.ggen.cli;

import io.ggen.cli.marketplace.MarketplaceCommand;
import picocli.CommandLine.Command;

@Command(name = "ggen", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "ggen: the peer-to-peer marketplace for ggen template packs (gpacks).",
        subcommands = {MarketplaceCommand.class, CompletionCommand.class})
public final class GgenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
