package io.ggen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command has --help, and its help shows examples, whole. */
class HelpTest {
    static void collect(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }

    @Test
    void helpWorksEvenWhereACommandHasItsOwnVersionOption() {
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine root = new CommandLine(new GgenCommand());
        root.setOut(new java.io.PrintWriter(out));
        assertThat(root.execute("marketplace", "p2p", "publish", "--help")).isZero();
        assertThat(out.toString()).contains("--version").contains("Example");
        assertThat(root.execute("marketplace", "publish", "--help")).isZero();
    }

    @Test
    void everyCommandShowsItsExamplesUnbroken() {
        List<CommandLine> all = new ArrayList<>();
        collect(GgenCommand.commandLine(), all);
        assertThat(all).hasSizeGreaterThan(25);
        for (CommandLine c : all) {
            String usage = c.getUsageMessage();
            assertThat(usage).as(c.getCommandSpec().qualifiedName()).contains("Examples:");
            for (String line : c.getCommandSpec().usageMessage().footer()) {
                // a footer line that was wrapped would not appear whole
                if (line.startsWith("  ")) assertThat(usage).as(c.getCommandSpec().qualifiedName()).contains(line);
            }
        }
    }

    @Test
    void everyP2pCommandHasHelpWithAnExample() {
        CommandLine root = new CommandLine(new GgenCommand());
        List<CommandLine> all = new ArrayList<>();
        collect(root.getSubcommands().get("marketplace").getSubcommands().get("p2p"), all);
        assertThat(all).extracting(CommandLine::getCommandName)
                .contains("start", "stop", "status", "peer-list", "peer-info", "bootstrap", "config", "show", "init");
        for (CommandLine c : all) {
            assertThat(c.getCommandSpec().optionsMap()).as(c.getCommandName()).containsKey("--help");
            assertThat(c.getCommandSpec().optionsMap().get("--help").usageHelp()).as(c.getCommandName()).isTrue();
            assertThat(c.getUsageMessage()).as(c.getCommandName()).contains("Example");
        }
    }
}
