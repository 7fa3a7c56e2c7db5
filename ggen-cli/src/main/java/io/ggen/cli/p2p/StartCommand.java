package io.ggen.cli.p2p;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a marketplace node in the foreground.")
public final class StartCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new io.ggen.cli.CliErrors.UserError("the node is not available in this build yet");
    }
}
