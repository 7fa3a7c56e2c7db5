package io.ggen.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script for ggen (bash or zsh).",
        footer = {"", "Examples:", "  source <(ggen completion bash)                      # this bash",
                "  ggen completion bash > /etc/bash_completion.d/ggen  # every bash",
                "  source <(ggen completion zsh)                       # this zsh (in ~/.zshrc for every one)"})
public final class CompletionCommand implements Runnable {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    /** Checked (so that an unknown shell is a usage error), though both get the same script. */
    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "<shell>",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        // One script for both: picocli's detects zsh and loads zsh's bash-completion emulation
        // (bashcompinit, and compinit when no completion system is loaded yet).
        var out = spec.commandLine().getOut();
        out.print(script);
        out.flush();
    }
}
