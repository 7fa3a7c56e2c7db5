package io.ggen.cli.p2p;

import picocli.CommandLine.Command;

@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Run a marketplace node and use the peer-to-peer network.",
        subcommands = {StartCommand.class})
public final class P2pCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
