package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StartupTimingsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final StartupTimings timings = new StartupTimings();

    private void at(long millis, String service, ServiceState state) {
        timings.accept(
                new ServiceEvent(service, state, T0.plusMillis(millis), OptionalLong.empty(), OptionalInt.empty(), ""));
    }

    @Test
    void theCriticalChainFollowsTheDependencyReadyLast() {
        at(100, "db", ServiceState.STARTING);
        at(100, "cache", ServiceState.STARTING);
        at(400, "cache", ServiceState.READY);
        at(2100, "db", ServiceState.READY);
        at(2100, "api", ServiceState.STARTING);
        at(3000, "api", ServiceState.RESTARTING);
        at(3100, "api", ServiceState.STARTING); // a restart while starting counts from the first start
        at(11900, "api", ServiceState.READY);
        at(400, "web", ServiceState.STARTING);
        at(1200, "web", ServiceState.READY);

        List<String> report = timings.report(
                T0,
                List.of("db", "cache", "api", "web"),
                Map.of("api", List.of("db", "cache"), "web", List.of("cache")));

        assertThat(report)
                .containsExactly(
                        "startup timings, from farm's start:",
                        "  cache  started +0.1s  ready +0.4s   took 0.3s",
                        "  db     started +0.1s  ready +2.1s   took 2.0s  *",
                        "  web    started +0.4s  ready +1.2s   took 0.8s",
                        "  api    started +2.1s  ready +11.9s  took 9.8s  *",
                        "critical chain (*): db 2.0s → api 9.8s = 11.9s");
    }

    @Test
    void aFinishedTaskCountsAsReadyAndNothingReadyMeansNoReport() {
        assertThat(timings.report(T0, List.of("migrate"), Map.of())).isEmpty();

        at(0, "migrate", ServiceState.STARTING);
        at(500, "migrate", ServiceState.EXITED);

        assertThat(timings.report(T0, List.of("migrate"), Map.of()))
                .last()
                .isEqualTo("critical chain (*): migrate 0.5s = 0.5s");
    }
}
