package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    @Test
    void versionPrintsFarmsVersionAndExitsZero() {
        assertThat(cli.run("--version")).isZero();
        assertThat(cli.out.toString()).startsWith("farm " + VersionProvider.version() + "\n");
        assertThat(VersionProvider.version()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void helpListsTheCommandAndExitsZero() {
        assertThat(cli.run("--help")).isZero();
        assertThat(cli.out.toString()).contains("Usage: farm", "dev", "-C, --directory=DIR", "Exit codes:");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.err.toString()).contains("Usage: farm");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(cli.run("dev", "--frobnicate")).isEqualTo(2);
        assertThat(cli.err.toString()).startsWith("Unknown option: '--frobnicate'");
    }

    @Test
    void aBrokenConfigExitsThreeWithFileLineAndColumnAndNoStackTrace() throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), """
                services:
                  api:
                    comand: java Api.java
                    port: 8000
                """);

        int code = cli.run("dev", "-C", dir.toString(), "-f", "broken.yaml");

        assertThat(code).isEqualTo(3);
        assertThat(cli.err.toString())
                .isEqualTo(dir.resolve("broken.yaml")
                        + ":3:5: services.api.comand: unknown key 'comand'. Did you mean 'command'?\n");
        assertThat(cli.out.toString()).isEmpty();
        assertThat(cli.signals.armed()).isFalse();
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services: [oops]\n");

        assertThat(cli.run("-v", "dev", "-C", dir.toString())).isEqualTo(3);

        assertThat(cli.err.toString())
                .startsWith(dir.resolve("farm.yaml") + ":1:11: services: expected a mapping of service names to"
                        + " services, found a list.\n")
                .contains("dev.farm.config.ConfigException", "\tat ");
    }

    @Test
    void aMissingConfigSaysWhereFarmLooked() {
        assertThat(cli.run("dev", "-C", dir.toString())).isEqualTo(3);
        assertThat(cli.err.toString()).contains("no farm configuration in " + dir.toAbsolutePath());
    }

    @Test
    void anotherFarmRunningTheProjectExitsFourWithOneMessage() {
        java.io.StringWriter err = new java.io.StringWriter();

        int code = Cli.report(
                new dev.farm.process.AlreadyRunningException(4242, java.nio.file.Path.of(".farm/state.json")),
                new java.io.PrintWriter(err),
                false);

        assertThat(code).isEqualTo(4);
        assertThat(err.toString())
                .isEqualTo("farm: farm is already running this project (pid 4242, see .farm/state.json). Stop it first"
                        + " (farm down, or Ctrl-C in its terminal).\n");
    }
}
