package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.LogLine;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TerminalOutputTest {

    private final StringWriter text = new StringWriter();
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private TerminalOutput output(boolean color) {
        return new TerminalOutput(
                new PrintWriter(text, true),
                color,
                List.of("api", "frontend"),
                Map.of("frontend", "http://127.0.0.1:3000"));
    }

    private static ServiceEvent event(String service, ServiceState state, Instant time, String message) {
        return new ServiceEvent(service, state, time, OptionalLong.of(42), OptionalInt.empty(), message);
    }

    @Test
    void prefixesEveryLineWithThePaddedNameAndNoColourWhenOff() {
        TerminalOutput output = output(false);

        output.accept(new LogLine("api", LogLine.Stream.STDOUT, "\u001b[32mINFO\u001b[0m up", T0));
        output.accept(new LogLine("frontend", LogLine.Stream.STDERR, "warn", T0));
        output.farm("hello");

        assertThat(text.toString()).isEqualTo("api      | INFO up\nfrontend | warn\nfarm     | hello\n");
    }

    @Test
    void reportsReadyWithTheTimeSinceStartAndTheAddress() {
        TerminalOutput output = output(false);

        output.accept(event("frontend", ServiceState.STARTING, T0, "npm run dev"));
        output.accept(event("frontend", ServiceState.READY, T0.plusMillis(1234), "GET /"));

        assertThat(text.toString().lines())
                .containsExactly(
                        "farm     | starting frontend (pid 42): npm run dev",
                        "farm     | frontend ready in 1.2s  http://127.0.0.1:3000");
    }

    @Test
    void theEndOfASetupIsReportedWithoutAPidItDoesNotHave() {
        TerminalOutput output = output(false);

        output.accept(event("orders", ServiceState.STARTING, T0, "running setup: npm install"));
        output.accept(new ServiceEvent(
                "orders",
                ServiceState.STARTING,
                T0.plusMillis(846),
                OptionalLong.empty(),
                OptionalInt.empty(),
                "setup done in 846 ms"));

        assertThat(text.toString().lines())
                .containsExactly(
                        "farm     | starting orders (pid 42): running setup: npm install",
                        "farm     | starting orders: setup done in 846 ms");
    }

    @Test
    void startupFailuresOtherThanTheReportedOneArePrintedOnceTheStartFails() {
        TerminalOutput output = output(false);

        output.accept(event("api", ServiceState.FAILED, T0, "boom"));
        output.accept(event("frontend", ServiceState.FAILED, T0, "bang"));
        assertThat(text.toString()).isEmpty();

        output.startupFailed("api"); // the error message reports api's failure
        assertThat(text.toString()).isEqualTo("farm     | frontend failed: bang\n");

        output.accept(event("api", ServiceState.FAILED, T0, "again"));
        assertThat(text.toString().lines()).last().isEqualTo("farm     | api failed: again");
    }

    @Test
    void coloursEachServiceStablyWhenOn() {
        TerminalOutput output = output(true);

        output.accept(new LogLine("api", LogLine.Stream.STDOUT, "one", T0));
        output.accept(new LogLine("frontend", LogLine.Stream.STDOUT, "two", T0));
        output.accept(new LogLine("api", LogLine.Stream.STDOUT, "three", T0));

        assertThat(text.toString().lines())
                .containsExactly(
                        "\u001b[36mapi      |\u001b[0m one",
                        "\u001b[32mfrontend |\u001b[0m two",
                        "\u001b[36mapi      |\u001b[0m three");
    }

    @Test
    void stripsEscapeSequencesOfEveryKind() {
        assertThat(TerminalOutput.stripAnsi(
                        "\u001b[1;31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007 \u001b[?25h"))
                .isEqualTo("red link ");
    }

    @Test
    void colourFollowsFlagsAndEnvironment() {
        assertThat(Terminal.color(true, Map.of("FORCE_COLOR", "1"))).isFalse();
        assertThat(Terminal.color(false, Map.of("NO_COLOR", "1", "FORCE_COLOR", "1")))
                .isFalse();
        assertThat(Terminal.color(false, Map.of("FORCE_COLOR", "1"))).isTrue();
        assertThat(Terminal.color(false, Map.of("FORCE_COLOR", "0"))).isFalse();
    }

    @Test
    void forceColorOnAPipeNeverMeansCursorMovement() {
        // Tests run with their output on a pipe: colour may be forced, the live line may not.
        assertThat(Terminal.color(false, Map.of("FORCE_COLOR", "1"))).isTrue();
        assertThat(Terminal.interactive(Map.of("FORCE_COLOR", "1", "TERM", "xterm-256color")))
                .isFalse();
    }

    @Test
    void theWidthComesFromColumnsWhenSet() {
        assertThat(Terminal.columns(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Terminal.columns(Map.of("COLUMNS", "5")))
                .as("never narrower than 20")
                .isEqualTo(20);
    }
}
