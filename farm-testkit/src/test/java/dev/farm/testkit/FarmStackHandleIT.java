package dev.farm.testkit;

import static dev.farm.testkit.FarmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigSource;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a test does with the handle and FarmAssertions, on a one-service stack made in code. */
@Timeout(120)
class FarmStackHandleIT {

    @TempDir
    static Path dir;

    private static int port;

    @RegisterExtension
    static final Extension STACK = FarmStacks.config(() -> {
                try {
                    port = FixtureProcess.freePort();
                    return ConfigSource.file(Stacks.write(dir, """
                                    name: one
                                    services:
                                      api:
                                        command: %s
                                        port: %d
                                        ready: { tcp: %d }
                                    """.formatted(
                                            Stacks.yaml(FixtureProcess.builder()
                                                    .print("api starting")
                                                    .listen(port, Duration.ZERO)),
                                            port,
                                            port)))
                            .load();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })
            .build();

    @Test
    void tellsWhereAServiceListensAndWhatItWrote(FarmStackHandle stack) {
        assertThat(stack.services()).containsExactly("api");
        assertThat(stack.proxyUrl()).isEmpty();
        assertThat(stack.service("api"))
                .isReady()
                .hasPort(port)
                .hasUrl("http://127.0.0.1:" + port)
                .isListening()
                .logContains("api starting");
        assertThatThrownBy(() -> stack.service("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("service: nope (expected one of [api]");
    }

    @Test
    void restartsStopsAndStartsAService(FarmStackHandle stack) throws InterruptedException {
        ServiceHandle api = stack.service("api");
        int before = api.restarts();
        long pid = api.status().pid().orElseThrow();

        api.restart();
        assertThat(api).isReady().hasRestarted(before + 1);
        assertThat(api.status().pid()).isPresent().isNotEqualTo(pid);

        api.stop();
        api.awaitState(ServiceState.STOPPED, Duration.ofSeconds(1));
        assertThat(api).isInState(ServiceState.STOPPED);
        assertThatThrownBy(() -> assertThat(api).isReady())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected service 'api' to be READY, but it is STOPPED")
                .hasMessageContaining("Its last lines:\n  api starting");
        assertThatThrownBy(() -> api.awaitState(ServiceState.READY, Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("service 'api' was not READY within PT0.1S; it is STOPPED");

        api.start();
        api.awaitState(ServiceState.READY, Duration.ofSeconds(30));
        assertThat(api).isReady().hasRestarted(before + 2).isListening();
    }

    @Test
    void failureMessagesSayWhatWasExpectedAndFound(FarmStackHandle stack) {
        ServiceHandle api = stack.service("api");
        assertThatThrownBy(() -> assertThat(api).logContains("never written"))
                .hasMessageStartingWith(
                        "Expected service 'api' to have written a line containing \"never written\", but none of its"
                                + " lines does.");
        assertThatThrownBy(() -> assertThat(api).hasPort(1))
                .hasMessageStartingWith("Expected service 'api' to have port 1, but it has " + port + ".");
    }
}
