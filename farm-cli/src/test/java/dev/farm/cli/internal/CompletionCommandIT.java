package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm completion}: the script it prints is valid bash, and bash completes farm's commands with it. */
@Timeout(60)
class CompletionCommandIT {

    @TempDir
    Path dir;

    final CliRunner cli = new CliRunner();

    @Test
    void theScriptNamesEveryCommand() {
        int code = cli.run("completion");

        assertThat(code).isZero();
        assertThat(cli.out.toString()).contains("dev", "doctor", "config", "codegen", "completion", "--directory");
        assertThat(cli.out.toString()).as("zsh loads bashcompinit").contains("bashcompinit");
    }

    @Test
    void zshGetsTheSameScript() {
        CliRunner bash = new CliRunner();
        bash.run("completion", "bash");

        int code = cli.run("completion", "zsh");

        assertThat(code).isZero();
        assertThat(cli.out.toString()).isEqualTo(bash.out.toString());
    }

    @Test
    void anUnknownShellIsAUsageError() {
        int code = cli.run("completion", "fish");

        assertThat(code).isEqualTo(2);
        assertThat(cli.err.toString()).contains("fish").contains("bash, zsh");
    }

    @Test
    void bashAcceptsTheScriptAndCompletesFarmD() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        cli.run("completion", "bash");
        Path script = Files.writeString(dir.resolve("farm-completion.bash"), cli.out.toString());

        assertThat(bash("-n", script.toString())).as("bash -n").isEmpty();

        String words = bash(
                "-c",
                "source " + script + "; COMP_WORDS=(farm d); COMP_CWORD=1; COMP_LINE='farm d'; COMP_POINT=6;"
                        + " _picocli_farm 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        // compopt complains outside a real TAB press; its message goes to /dev/null
        List<String> completions = Arrays.asList(words.strip().split("\\s+", -1));
        assertThat(completions).contains("dev", "doctor").allMatch(word -> word.startsWith("d"));
    }

    private static String bash(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "/bin/bash";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
