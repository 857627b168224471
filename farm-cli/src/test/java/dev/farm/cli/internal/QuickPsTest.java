package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code farm ps} without picocli takes only its exact grammar, and says what picocli's path says. */
class QuickPsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ps -v",
                "-v ps",
                "ps --help",
                "ps -h",
                "-f farm.yaml ps",
                "logs",
                "ps extra",
                "ps --json --json",
                "--json ps",
                "-C",
                "",
                "dev",
                "--version"
            })
    void anythingButItsGrammarIsLeftToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ", -1);
        assertThat(QuickPs.run(
                        args, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-C DIR ps", "status -C DIR", "ps --json --directory DIR", "--no-color ps --directory=DIR"})
    void withoutARunningFarmItPrintsWhatPicocliPrints(String line) {
        String[] args = line.replace("DIR", dir.toString()).split(" ", -1);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        OptionalInt quick = QuickPs.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));

        CliRunner picocli = new CliRunner();
        assertThat(quick).hasValue(picocli.run(args));
        assertThat(err.toString()).isEqualTo(picocli.err.toString()).startsWith("farm: no farm is running");
        assertThat(out.toString()).isEqualTo(picocli.out.toString()).isEmpty();
    }
}
