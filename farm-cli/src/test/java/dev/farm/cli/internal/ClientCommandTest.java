package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands that talk to a running farm, when none runs, and their argument checks. */
class ClientCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    @ParameterizedTest
    @ValueSource(strings = {"ps", "status", "logs", "down", "restart api", "stop api", "start api", "domains list"})
    void withoutARunningFarmEachSaysSoAndExitsOne(String command) {
        String[] args = ("-C " + dir + " " + command).split(" ");

        assertThat(cli.run(args)).isEqualTo(1);

        assertThat(cli.err.toString())
                .isEqualTo("farm: no farm is running for the project in " + dir
                        + " (no .farm/run/control.json there or above). Start it with: farm dev\n");
        assertThat(cli.out.toString()).isEmpty();
    }

    @Test
    void aDamagedControlFileIsNamed() throws IOException {
        Files.createDirectories(dir.resolve(".farm/run"));
        Files.writeString(dir.resolve(".farm/run/control.json"), "{not json");

        assertThat(cli.run("-C", dir.toString(), "ps")).isEqualTo(1);

        assertThat(cli.err.toString())
                .startsWith("farm: " + dir.resolve(".farm/run/control.json") + " is damaged (")
                .endsWith("). Delete it.\n");
    }

    @Test
    void restartNeedsAService() {
        assertThat(cli.run("restart")).isEqualTo(2);
        assertThat(cli.err.toString()).startsWith("Missing required parameter: 'SERVICE'");
    }

    @Test
    void domainsWithoutASubcommandShowsItsUsage() {
        assertThat(cli.run("domains")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("Usage: farm domains", "list", "restart");
    }

    @Test
    void logsRejectsANegativeCountAndAnUnreadableSince() {
        assertThat(cli.run("-C", dir.toString(), "logs", "-n", "-1")).isEqualTo(2);
        assertThat(cli.err.toString()).startsWith("-n: -1 (expected: 0 or more lines)");

        CliRunner again = new CliRunner();
        assertThat(again.run("logs", "--since", "5 minutes")).isEqualTo(2);
        assertThat(again.err.toString())
                .startsWith("Invalid value for option '--since': '5 minutes' (expected a duration such as 30s");
    }

    @Test
    void sinceIsADurationBackOrAnInstant() {
        LogsCommand.SinceConverter since = new LogsCommand.SinceConverter();
        Instant before = Instant.now();
        Instant tenMinutes = since.convert("10m");
        assertThat(Duration.between(tenMinutes, before).toSeconds()).isBetween(599L, 600L);
        assertThat(Duration.between(since.convert("1h30m"), Instant.now()).toMinutes())
                .isBetween(89L, 90L);
        assertThat(since.convert("2026-12-01T10:00:00Z")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void devRefusesANonLoopbackControlApiUnlessAllowed() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api:\n    command: api\n");

        assertThat(cli.run("-C", dir.toString(), "dev", "--control-host", "0.0.0.0"))
                .isEqualTo(2);

        assertThat(cli.err.toString())
                .startsWith("--control-host 0.0.0.0: the control API listens on loopback only, unless you add"
                        + " --control-allow-remote");
    }

    @Test
    void devChecksTheServicesItIsAskedFor() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api:\n    command: api\n");

        assertThat(cli.run("-C", dir.toString(), "dev", "nope")).isEqualTo(2);
        assertThat(cli.err.toString()).startsWith("no service 'nope' in farm.yaml (services: api)");

        CliRunner noDeps = new CliRunner();
        assertThat(noDeps.run("-C", dir.toString(), "dev", "--no-deps")).isEqualTo(2);
        assertThat(noDeps.err.toString()).startsWith("--no-deps needs the services to run");

        CliRunner frontend = new CliRunner();
        assertThat(frontend.run("-C", dir.toString(), "dev", "--frontend-only")).isEqualTo(2);
        assertThat(frontend.err.toString()).startsWith("--frontend-only: no frontend service in farm.yaml");

        CliRunner both = new CliRunner();
        assertThat(both.run("-C", dir.toString(), "dev", "--frontend-only", "--backend-only"))
                .isEqualTo(2);
        assertThat(both.err.toString()).contains("mutually exclusive");
    }
}
