package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farm.cli.internal.control.StatusJson;
import dev.farm.process.ServiceKind;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStats;
import dev.farm.process.ServiceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of what {@code farm ps} and {@code farm ps --json} print for a stack with one service of each kind of
 * state. Run with {@code -Dfarm.golden.update=true} to rewrite the golden files after a deliberate change.
 */
class PsViewTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void psJsonMatchesTheGoldenFile() throws IOException {
        assertGolden("ps.json", PsView.json(stack()));
    }

    @Test
    void psTableMatchesTheGoldenFile() throws IOException {
        assertGolden("ps.txt", PsView.table(stack(), PsView.COLUMNS, service -> true, false));
    }

    @Test
    void colourMarksStatesOnlyWhenAsked() {
        String coloured = PsView.table(stack(), PsView.COLUMNS, service -> true, true);
        assertThat(coloured).contains("\u001b[32mready").contains("\u001b[31mfailed");
        assertThat(PsView.table(stack(), PsView.COLUMNS, service -> true, false))
                .doesNotContain("\u001b");
    }

    @Test
    void uptimesAndSizesReadAsPeopleWriteThem() {
        assertThat(PsView.uptime(42_900)).isEqualTo("42s");
        assertThat(PsView.uptime(187_000)).isEqualTo("3m07s");
        assertThat(PsView.uptime(Duration.ofMinutes(125).toMillis())).isEqualTo("2h05m");
        assertThat(PsView.uptime(Duration.ofHours(76).toMillis())).isEqualTo("3d04h");
        assertThat(PsView.bytes(812 * 1024)).isEqualTo("812 KiB");
        assertThat(PsView.bytes(47_500_000)).isEqualTo("45.3 MiB");
        assertThat(PsView.bytes(1_300_000_000L)).isEqualTo("1.2 GiB");
    }

    @Test
    void theHeartbeatColumnSaysHowLongAgoEachServiceLastReported() {
        assertThat(PsView.table(stack(), List.of("NAME", "HEARTBEAT"), service -> true, false)
                        .lines())
                .containsExactly("NAME   HEARTBEAT", "api    0.4s ago", "web    -", "users  -", "db     -");
        assertThat(PsView.age(12_049)).isEqualTo("12.0s ago");
        assertThat(PsView.age(187_000)).isEqualTo("3m07s ago");
    }

    /** What GET /v1/services answers for a stack in every kind of state. */
    static ObjectNode stack() {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("project", "shop");
        body.put("pid", 4242);
        ArrayNode services = body.putArray("services");
        Instant started = NOW.minusSeconds(187);
        services.add(StatusJson.status(
                new ServiceStatus(
                        "api",
                        ServiceKind.PROCESS,
                        ServiceState.READY,
                        started.plusMillis(800),
                        OptionalLong.of(1201),
                        OptionalInt.of(8000),
                        2,
                        1,
                        Optional.of(started),
                        OptionalInt.of(1),
                        false,
                        "GET /health",
                        Optional.of(NOW.minusMillis(400))),
                Optional.of(new ServiceStats(3, Duration.ofMillis(2300), 1.25, OptionalLong.of(47_500_000), NOW)),
                Optional.empty(),
                NOW));
        services.add(StatusJson.status(
                new ServiceStatus(
                        "web",
                        ServiceKind.PROCESS,
                        ServiceState.STARTING,
                        NOW.minusSeconds(2),
                        OptionalLong.of(1300),
                        OptionalInt.of(5173),
                        1,
                        0,
                        Optional.of(NOW.minusSeconds(2)),
                        OptionalInt.empty(),
                        false,
                        "waiting for GET /"),
                Optional.of(new ServiceStats(4, Duration.ofMillis(900), 87.5, OptionalLong.of(120_000_000), NOW)),
                Optional.of("frontend"),
                NOW));
        services.add(StatusJson.status(
                new ServiceStatus(
                        "users",
                        ServiceKind.PROCESS,
                        ServiceState.FAILED,
                        NOW.minusSeconds(30),
                        OptionalLong.empty(),
                        OptionalInt.empty(),
                        6,
                        5,
                        Optional.empty(),
                        OptionalInt.of(137),
                        false,
                        "exited with code 137, 5 restarts used"),
                Optional.empty(),
                Optional.of("domains"),
                NOW));
        services.add(StatusJson.status(
                new ServiceStatus(
                        "db",
                        ServiceKind.DAEMON,
                        ServiceState.STOPPED,
                        NOW.minusSeconds(5),
                        OptionalLong.empty(),
                        OptionalInt.of(5432),
                        1,
                        0,
                        Optional.empty(),
                        OptionalInt.of(0),
                        true,
                        "left running: farm adopted it and does not own it"),
                Optional.empty(),
                Optional.empty(),
                NOW));
        return body;
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("farm.golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("%s; rerun with -Dfarm.golden.update=true after a deliberate change", name)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
