package io.ggen.cli.marketplace;

import io.ggen.cli.p2p.P2pCommand;
import picocli.CommandLine.Command;

@Command(name = "marketplace", mixinStandardHelpOptions = true,
        description = "Publish, search and install gpacks.",
        subcommands = {NewCommand.class, ValidateCommand.class, PackCommand.class, KeyCommand.class, PublishCommand.class, SearchCommand.class, InfoCommand.class,
                InstallCommand.class, ListCommand.class, YankCommand.class, TrustCommand.class, DoctorCommand.class, P2pCommand.class},
        footer = {"", "Examples:", "  ggen marketplace new ./my-pack", "  ggen marketplace validate ./my-pack", "  ggen marketplace publish ./my-pack", "  ggen marketplace p2p start --daemon"})
public final class MarketplaceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
