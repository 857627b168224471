package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@link TerminalOutput} shows model pulls: a bar on the live line, throttled plain lines elsewhere. */
class PullProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final long GB = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final MutableClock clock = new MutableClock(T0);

    private TerminalOutput output(boolean interactive) {
        return new TerminalOutput(
                new PrintWriter(text, true),
                new TerminalOutput.Mode(false, interactive, 120),
                clock,
                List.of(new TerminalOutput.Service(
                        "ollama", Optional.empty(), "GET /api/tags", "SIGTERM", Duration.ofSeconds(10))));
    }

    private List<String> lines() {
        return text.toString().lines().toList();
    }

    @Test
    void theBarShowsPercentAndSizeInTheTotalsUnit() {
        assertThat(TerminalOutput.pullBar("llama3.1", 1_160_000_000L, 2 * GB, true))
                .isEqualTo("pulling llama3.1 [######......] 58% 1.2/2.0 GB");
        assertThat(TerminalOutput.pullBar("llama3.1", 0, 2 * GB, true))
                .isEqualTo("pulling llama3.1 [............] 0% 0.0/2.0 GB");
        assertThat(TerminalOutput.pullBar("llama3.1", 2 * GB, 2 * GB, true))
                .isEqualTo("pulling llama3.1 [############] 100% 2.0/2.0 GB");
        assertThat(TerminalOutput.pullBar("tiny", 300_000, 45_000_000, false)).isEqualTo("pulling tiny 0% 0.3/45.0 MB");
        assertThat(TerminalOutput.pullBar("tiny", 5, 0, false)).isEqualTo("pulling tiny 0%");
        assertThat(TerminalOutput.bytes(12, 999)).isEqualTo("12/999 B");
    }

    @Test
    void onATerminalThePullIsOnTheLiveLineUntilItEnds() {
        TerminalOutput output = output(true);

        output.progress("ollama", "llama3.1", GB, 2 * GB);

        assertThat(output.liveText(clock.instant()))
                .isEqualTo("ollama: pulling llama3.1 [######......] 50% 1.0/2.0 GB");
        assertThat(text.toString()).isEmpty();

        output.finished("ollama", "llama3.1", "", Duration.ofMillis(12_340));

        assertThat(output.liveText(clock.instant())).isEmpty();
        assertThat(lines()).containsExactly("farm   | ollama: pulled llama3.1 in 12.3s");
    }

    @Test
    void elsewhereALineEveryTenPercentOrFiveSeconds() {
        TerminalOutput output = output(false);

        output.progress("ollama", "llama3.1", 0, 100 * GB);
        output.progress("ollama", "llama3.1", 5 * GB, 100 * GB); // same step, too soon
        output.progress("ollama", "llama3.1", 10 * GB, 100 * GB); // next step
        clock.advance(Duration.ofSeconds(5));
        output.progress("ollama", "llama3.1", 11 * GB, 100 * GB); // 5 s since the last line
        output.progress("ollama", "llama3.1", 12 * GB, 100 * GB);
        output.finished("ollama", "llama3.1", "pull model manifest: file does not exist", Duration.ofSeconds(1));

        assertThat(lines())
                .containsExactly(
                        "farm   | ollama: pulling llama3.1 0% 0.0/100.0 GB",
                        "farm   | ollama: pulling llama3.1 10% 10.0/100.0 GB",
                        "farm   | ollama: pulling llama3.1 11% 11.0/100.0 GB",
                        "farm   | ollama: pull of llama3.1 failed: pull model manifest: file does not exist");
        assertThat(output.liveText(clock.instant())).isEmpty();
    }
}
