package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.process.spi.LogSink;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Every line kept: floods, long lines, the last line, invalid UTF-8, and never a child blocked by a slow sink. */
@Timeout(180)
class LogsIT {

    @TempDir
    Path dir;

    private Harness h;

    @BeforeEach
    void harness() {
        h = new Harness(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** Checks that each service's lines come numbered 1, 2, 3, … and counts them, without keeping them. */
    private static final class OrderCheck implements LogSink {
        final Map<String, AtomicLong> next = new ConcurrentHashMap<>();
        final Map<String, String> disorder = new ConcurrentHashMap<>();

        @Override
        public void accept(LogLine line) {
            String text = line.text();
            long expected =
                    next.computeIfAbsent(line.service(), s -> new AtomicLong(1)).getAndIncrement();
            if (!text.equals(line.service() + "-" + expected)) {
                disorder.putIfAbsent(line.service(), "expected " + expected + ", got " + text);
            }
        }

        long count(String service) {
            AtomicLong n = next.get(service);
            return n == null ? 0 : n.get() - 1;
        }
    }

    @Test
    void aMillionLinesFromFourServicesArriveCompleteAndInOrder() {
        OrderCheck check = new OrderCheck();
        int perService = 250_000;
        ServiceSpec[] specs = new ServiceSpec[4];
        for (int i = 0; i < 4; i++) {
            specs[i] = h.fixture("s" + i, FixtureProcess.builder().printLines("s" + i + "-", perService))
                    .build();
        }
        ProcessSupervisor supervisor = ProcessSupervisor.builder()
                .services(List.of(specs))
                .logSink(check)
                .build();
        try (supervisor) {
            supervisor.start();

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !check.disorder.isEmpty()
                            || List.of("s0", "s1", "s2", "s3").stream().allMatch(s -> check.count(s) >= perService));
        }
        assertThat(check.disorder).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(check.count("s" + i)).isEqualTo(perService);
        }
    }

    @Test
    void aOneMebibyteLineArrivesWhole() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("api", FixtureProcess.builder().printLongLine(1 << 20).print("after"))
                        .build());

        supervisor.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> h.texts("api").contains("after"));
        List<String> lines = h.texts("api");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(1 << 20).matches("x+");
    }

    @Test
    void theLastLineBeforeExitIsKeptEvenWithoutALineBreak() {
        ProcessSupervisor supervisor = h.supervisor(h.fixture(
                        "job",
                        FixtureProcess.builder()
                                .print("first")
                                .printRaw("last words")
                                .exitAfterPrinting(0))
                .build());

        supervisor.start();

        h.awaitEvent("job", ServiceState.EXITED);
        assertThat(h.texts("job")).containsExactly("first", "last words");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("api", FixtureProcess.builder().printInvalidUtf8().print("done"))
                        .build());

        supervisor.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> h.texts("api").contains("done"));
        assertThat(h.texts("api").get(0)).isEqualTo("ok \uFFFD\uFFFD end");
    }

    @Test
    void aChildNeverBlocksOnASlowSink() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        LogSink stuck = line -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.incrementAndGet();
        };
        ProcessSupervisor supervisor = h.supervisor(
                builder -> builder.logSink(stuck),
                h.fixture(
                                "chatty",
                                FixtureProcess.builder()
                                        .printLines("line-", 200_000)
                                        .exitAfterPrinting(0))
                        .build());

        supervisor.start();

        // 200,000 lines are far more than a pipe holds: the process could only exit because farm kept reading.
        h.awaitEvent("chatty", ServiceState.EXITED);
        assertThat(received).as("the sink is still stuck on its first line").hasValue(0);
        release.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.get() == 200_000);
    }

    @Test
    void theFileSinkWritesOneFilePerServiceWithoutColourCodes() throws IOException {
        Path logs = dir.resolve(".farm/logs");
        LogSinks.Handle files = LogSinks.files(logs);
        try (files) {
            ProcessSupervisor supervisor = h.supervisor(
                    builder -> builder.logSink(files),
                    h.fixture("web", FixtureProcess.builder().print("\u001b[32mready\u001b[0m in 120 ms"))
                            .readiness(Probes.logLine("ready"))
                            .build());
            supervisor.start();
            supervisor.close();
        }

        List<String> written = Files.readAllLines(logs.resolve("web.log"), StandardCharsets.UTF_8);
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z out ready in 120 ms");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void outputOfAChildThatOutlivesItsParentIsStillRead() {
        ProcessSupervisor supervisor = h.supervisor(
                ServiceSpec.builder("job", List.of("sh", "-c", "(sleep 0.3; echo late) & echo early; exit 0"))
                        .build());

        supervisor.start();

        h.awaitEvent("job", ServiceState.EXITED);
        assertThat(h.texts("job")).containsExactly("early", "late");
    }

    @Test
    void recentLinesKeepTheLastLinesOfEachService() {
        ProcessSupervisor supervisor = h.supervisor(
                builder -> builder.recentLines(10),
                h.fixture("api", FixtureProcess.builder().printLines("n-", 50).print("end"))
                        .readiness(Probes.logLine("^end$"))
                        .build());

        supervisor.start();

        assertThat(supervisor.recentLines("api").stream().map(LogLine::text).collect(Collectors.toList()))
                .containsExactly("n-42", "n-43", "n-44", "n-45", "n-46", "n-47", "n-48", "n-49", "n-50", "end");
    }
}
