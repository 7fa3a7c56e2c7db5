package io.ggen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script as bash sees it: it parses, and completes a real command line. */
class CompletionTest {
    @TempDir
    Path tmp;

    static String script(String... args) {
        picocli.CommandLine cmd = GgenCommand.commandLine();
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        int exit = cmd.execute(args);
        assertThat(exit).isZero();
        return out.toString();
    }

    record Bash(int exit, String out, String err) {}

    Bash bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(tmp.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Bash(p.exitValue(), out, err);
    }

    @Test
    void bashParsesTheScriptAndCompletesSubcommands() throws Exception {
        Path file = Files.writeString(tmp.resolve("ggen.bash"), script("completion", "bash"));
        Bash syntax = bash("bash -n " + file);
        assertThat(syntax.exit()).as(syntax.err()).isZero();
        // What bash does on `ggen marketplace p2p st<TAB>`: the function registered for ggen fills COMPREPLY.
        Bash completed = bash("source " + file + " && fn=$(complete -p ggen | sed -E 's/.*-F ([^ ]+).*/\\1/') && "
                + "COMP_LINE='ggen marketplace p2p st' COMP_POINT=23 COMP_WORDS=(ggen marketplace p2p st) COMP_CWORD=3 && "
                + "$fn ggen st p2p && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(completed.exit()).as(completed.err()).isZero();
        assertThat(completed.out().lines().map(String::strip).toList()).containsExactlyInAnyOrder("start", "status", "stop");
        Bash top = bash("source " + file + " && fn=$(complete -p ggen | sed -E 's/.*-F ([^ ]+).*/\\1/') && "
                + "COMP_LINE='ggen marketplace n' COMP_POINT=18 COMP_WORDS=(ggen marketplace n) COMP_CWORD=2 && "
                + "$fn ggen n marketplace && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(top.out().lines().map(String::strip).toList()).containsExactly("new");
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsItsBashEmulation() {
        String zsh = script("completion", "zsh");
        assertThat(zsh).isEqualTo(script("completion", "bash")).contains("bashcompinit");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        picocli.CommandLine cmd = GgenCommand.commandLine();
        cmd.setParameterExceptionHandler(new io.ggen.cli.errors.CliErrors.ParameterHandler());
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("completion", "fish")).isEqualTo(2);
        assertThat(err.toString()).contains("fish").contains("bash, zsh");
        assertThat(List.of(CompletionCommand.Shell.values())).hasSize(2);
    }
}
