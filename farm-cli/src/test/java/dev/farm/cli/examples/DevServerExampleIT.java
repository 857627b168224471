package dev.farm.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.cli.DevServer;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The farm-cli README's example: a whole stack from a test, in-process. */
@Timeout(60)
class DevServerExampleIT {

    @TempDir
    Path project;

    @Test
    void runsAStackFromAConfigFile() throws IOException {
        int port = FixtureProcess.freePort();
        String command = FixtureProcess.builder().listen(port, Duration.ZERO).command().stream()
                .map(arg -> "'" + arg + "'")
                .collect(Collectors.joining(", ", "[", "]"));
        Files.writeString(
                project.resolve("farm.yaml"),
                "services:\n  api:\n    command: " + command + "\n    port: " + port
                        + "\n    ready: { http: /health }\n");

        FarmConfig config = ConfigSource.directory(project).load();
        try (DevServer stack = DevServer.builder(config).build()) {
            stack.start(); // returns once every service is ready
            assertThat(stack.state("api")).isEqualTo(ServiceState.READY);
        } // every process of every service is gone
    }
}
