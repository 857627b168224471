package dev.farm.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.spi.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LogSinksTest {

    private static final Instant TIME = Instant.parse("2026-12-01T18:26:55.123Z");

    @TempDir
    Path dir;

    @Test
    void filesWritesEachServiceToItsOwnFile() throws IOException {
        Path logs = dir.resolve(".farm/logs");
        try (LogSinks.Handle files = LogSinks.files(logs)) {
            files.accept(new LogLine("api", LogLine.Stream.STDOUT, "\u001b[32mready\u001b[0m", TIME));
            files.accept(new LogLine("db", LogLine.Stream.STDERR, "checkpoint", TIME));
            assertThat(files.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(Files.readAllLines(logs.resolve("api.log"), UTF_8))
                    .containsExactly("2026-12-01T18:26:55.123Z out ready");
            assertThat(Files.readAllLines(logs.resolve("db.log"), UTF_8))
                    .containsExactly("2026-12-01T18:26:55.123Z err checkpoint");
        }
    }

    @Test
    void filesWritesEverythingAcceptedBeforeClose() throws IOException {
        LogSinks.Handle files = LogSinks.files(dir, 1024 * 1024, 1);
        for (int i = 0; i < 10_000; i++) {
            files.accept(new LogLine("api", LogLine.Stream.STDOUT, "line " + i, TIME));
        }
        files.close();
        files.close();
        List<String> lines = Files.readAllLines(dir.resolve("api.log"), UTF_8);
        assertThat(lines).hasSize(10_000).last().isEqualTo("2026-12-01T18:26:55.123Z out line 9999");
    }

    @Test
    void asyncDeliversOnAnotherThreadAndLeavesTheSinkOpen() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger closes = new AtomicInteger();
        class Closeable implements LogSink, AutoCloseable {
            @Override
            public void accept(LogLine line) {
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        }
        try (LogSinks.Handle async = LogSinks.async(new Closeable())) {
            async.accept(new LogLine("api", LogLine.Stream.STDOUT, "x", TIME));
            assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(threads).singleElement().asString().startsWith("farm-process-sink-");
        assertThat(closes).hasValue(0);
    }
}
