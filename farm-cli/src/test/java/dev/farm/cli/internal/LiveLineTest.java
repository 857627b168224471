package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ProbeConfig;
import dev.farm.process.LogLine;
import dev.farm.process.ReadinessWait;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The live line of {@link TerminalOutput}, drawn by hand with {@code tick()} and a clock the test moves. */
class LiveLineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String ERASE = "\r\u001b[2K";

    private final StringWriter text = new StringWriter();
    private final MutableClock clock = new MutableClock(T0);
    private final Map<String, ReadinessWait> waits = new ConcurrentHashMap<>();

    private TerminalOutput output(boolean interactive, int columns) {
        TerminalOutput output = new TerminalOutput(
                new PrintWriter(text, true),
                new TerminalOutput.Mode(false, interactive, columns),
                clock,
                List.of(
                        new TerminalOutput.Service(
                                "api",
                                Optional.of("http://127.0.0.1:8000"),
                                "GET /health",
                                "SIGTERM",
                                Duration.ofSeconds(10)),
                        new TerminalOutput.Service("web", Optional.empty(), "", "SIGINT", Duration.ofSeconds(3))));
        output.waits(name -> Optional.ofNullable(waits.get(name)));
        return output;
    }

    private static ServiceEvent event(String service, ServiceState state, Instant time, String message) {
        return new ServiceEvent(service, state, time, OptionalLong.of(42), OptionalInt.empty(), message);
    }

    private void waiting(String service, String detail) {
        waits.put(
                service,
                new ReadinessWait(service, "GET http://127.0.0.1:8000/health should return 2xx", detail, T0, 3));
    }

    @Test
    void saysWhatAStartingServiceWaitsForAndRedrawsInPlace() {
        TerminalOutput output = output(true, 80);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        waiting("api", "connection refused");
        text.getBuffer().setLength(0);

        clock.advance(Duration.ofMillis(2100));
        output.tick();
        clock.advance(Duration.ofMillis(100));
        output.tick();

        assertThat(text.toString())
                .isEqualTo(ERASE + "farm | api: waiting for GET /health — connection refused, 2.1s" + ERASE
                        + "farm | api: waiting for GET /health — connection refused, 2.2s");
    }

    @Test
    void aSetupCommandShowsASpinnerItsClockAndItsLastLineThenTheReadinessWait() {
        TerminalOutput output = output(true, 100);
        output.accept(event("web", ServiceState.STARTING, T0, "running setup: npm install"));
        output.accept(new LogLine("web", LogLine.Stream.STDOUT, "added 120 packages in 11s", T0.plusSeconds(11)));
        text.getBuffer().setLength(0);

        clock.advance(Duration.ofMillis(12_300));
        output.tick();

        assertThat(text.toString())
                .matches("\\r\u001b\\[2Kfarm \\| web: (\\S) setup npm install, 12\\.3s — added 120 packages in 11s");

        output.accept(event("web", ServiceState.STARTING, T0.plusMillis(12_400), "setup done in 12.4s"));
        text.getBuffer().setLength(0);
        clock.advance(Duration.ofMillis(100));
        output.tick();
        assertThat(text.toString())
                .as("after the setup: what the start waits for")
                .contains("web: starting, ");
    }

    @Test
    void isErasedBeforeEveryOtherLineSoNoLineIsMangled() {
        TerminalOutput output = output(true, 80);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        clock.advance(Duration.ofSeconds(1));
        output.tick();
        text.getBuffer().setLength(0);

        output.accept(new LogLine("api", LogLine.Stream.STDOUT, "booting", T0));
        output.accept(new LogLine("api", LogLine.Stream.STDOUT, "still booting", T0));

        assertThat(text.toString())
                .as("erased once, then whole lines")
                .isEqualTo(ERASE + "api  | booting\napi  | still booting\n");
    }

    @Test
    void collapsesToTheReadyLineOnceReady() {
        TerminalOutput output = output(true, 80);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        clock.advance(Duration.ofSeconds(1));
        output.tick();
        text.getBuffer().setLength(0);

        output.accept(event("api", ServiceState.READY, T0.plusMillis(1234), "GET /health"));
        output.tick();

        assertThat(text.toString()).isEqualTo(ERASE + "farm | api ready in 1.2s  http://127.0.0.1:8000\n");
    }

    @Test
    void namesEveryWaitingServiceButNotOneThatJustStarted() {
        TerminalOutput output = output(true, 120);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        output.accept(event("web", ServiceState.STARTING, T0.plusMillis(1900), "vite"));
        clock.advance(Duration.ofSeconds(2)); // web has started 100 ms ago: not shown yet

        assertThat(output.liveText(clock.instant())).isEqualTo("api: starting, 2.0s");

        clock.advance(Duration.ofSeconds(1));
        waiting("api", "HTTP 503");
        assertThat(output.liveText(clock.instant()))
                .isEqualTo("api: waiting for GET /health — HTTP 503, 3.0s  ·  web: starting, 1.1s");
    }

    @Test
    void neverWiderThanTheTerminal() {
        TerminalOutput output = output(true, 40);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        waiting("api", "connection refused");
        clock.advance(Duration.ofSeconds(2));
        text.getBuffer().setLength(0);

        output.tick();

        String drawn = text.toString().substring(ERASE.length());
        assertThat(drawn).hasSize(39).isEqualTo("farm | api: waiting for GET /health — …");
    }

    @Test
    void whileStoppingNamesWhomFarmWaitsForAndWhenItKills() {
        TerminalOutput output = output(true, 200);
        output.accept(event("api", ServiceState.READY, T0, ""));
        output.stopping();
        output.accept(event("api", ServiceState.STOPPING, T0, ""));
        clock.advance(Duration.ofMillis(2300));
        output.accept(event("api", ServiceState.STOPPING, clock.instant(), "still stopping after 2.3 s"));
        text.getBuffer().setLength(0);

        output.tick();

        assertThat(text.toString())
                .as("the progress event is left to the live line, which counts from the first STOPPING")
                .isEqualTo(ERASE + "farm | stopping: waiting for api (SIGTERM sent 2.3s ago, kills at 10.0s)"
                        + "  ·  Ctrl-C again kills at once");

        output.accept(event("api", ServiceState.STOPPED, clock.instant(), ""));
        output.tick();
        assertThat(text.toString()).endsWith(ERASE + "farm | stopped api\n");
    }

    @Test
    void withoutATerminalNothingIsRedrawnAndASlowStartGetsAPlainLineNowAndThen() {
        TerminalOutput output = output(false, 80);
        output.accept(event("api", ServiceState.STARTING, T0, "uvicorn"));
        waiting("api", "connection refused");
        text.getBuffer().setLength(0);

        for (int i = 0; i < 160; i++) { // 16 s in ticks
            clock.advance(TerminalOutput.TICK);
            output.tick();
        }

        assertThat(text.toString())
                .doesNotContain("\r", "\u001b")
                .isEqualTo("farm | api: still waiting for GET /health — connection refused, 5.0s\n"
                        + "farm | api: still waiting for GET /health — connection refused, 15.0s\n");
    }

    @Test
    void withoutATerminalShutdownProgressStaysAPlainLine() {
        TerminalOutput output = output(false, 80);
        output.accept(event("api", ServiceState.STOPPING, T0, ""));
        output.accept(event("api", ServiceState.STOPPING, T0, "still stopping after 2 s (stop timeout 10 s): pid 42"));
        output.tick();

        assertThat(text.toString()).isEqualTo("farm | api: still stopping after 2 s (stop timeout 10 s): pid 42\n");
    }

    @Test
    void describesProbesShortly() {
        assertThat(TerminalOutput.Service.probe(
                        new ProbeConfig.Http(URI.create("http://127.0.0.1:8000/health"), "GET", List.of())))
                .isEqualTo("GET /health");
        assertThat(TerminalOutput.Service.probe(
                        new ProbeConfig.Http(URI.create("http://db.internal:8000/"), "HEAD", List.of())))
                .isEqualTo("HEAD http://db.internal:8000/");
        assertThat(TerminalOutput.Service.probe(new ProbeConfig.Tcp(5432))).isEqualTo("TCP port 5432");
        assertThat(TerminalOutput.Service.probe(new ProbeConfig.LogLine("ready in \\d+")))
                .isEqualTo("a line matching /ready in \\d+/");
    }
}
