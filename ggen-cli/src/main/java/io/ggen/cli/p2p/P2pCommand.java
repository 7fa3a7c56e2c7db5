package io.ggen.cli.p2p;

import picocli.CommandLine.Command;

@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Run a marketplace node and use the peer-to-peer network.",
        subcommands = {StartCommand.class, StopCommand.class, StatusCommand.class, PeerListCommand.class, PeerInfoCommand.class,
                BootstrapCommand.class, ConfigCommand.class, P2pPublishCommand.class, P2pYankCommand.class, P2pSearchCommand.class, P2pInstallCommand.class, UiCommand.class},
        footer = {"", "Examples:", "  ggen marketplace p2p start --daemon", "  ggen marketplace p2p status", "  ggen marketplace p2p peer-list --format json"})
public final class P2pCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
