package dev.farm.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.farm.process.LogLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogSinkTest {

    private static final Instant TIME = Instant.parse("2026-12-01T18:26:55.123Z");

    @TempDir
    Path dir;

    private static LogLine out(String service, String text) {
        return new LogLine(service, LogLine.Stream.STDOUT, text, TIME);
    }

    private List<String> lines(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file), UTF_8);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesOneFormattedLinePerLogLineAndCreatesTheDirectory() throws IOException {
        Path logs = dir.resolve(".farm/logs");
        try (FileLogSink sink = new FileLogSink(logs, 1024 * 1024, 3)) {
            sink.accept(out("api", "listening on 8080"));
            sink.accept(new LogLine("api", LogLine.Stream.STDERR, "warning: deprecated", TIME.plusMillis(877)));
            sink.accept(
                    new LogLine("api", LogLine.Stream.STDOUT, "on the second", Instant.parse("2026-12-01T18:26:56Z")));
            sink.accept(out("db", "ready"));
            sink.endOfBatch();

            assertThat(Files.readAllLines(logs.resolve("api.log"), UTF_8))
                    .containsExactly(
                            "2026-12-01T18:26:55.123Z out listening on 8080",
                            "2026-12-01T18:26:56.000Z err warning: deprecated",
                            "2026-12-01T18:26:56.000Z out on the second");
            assertThat(Files.readAllLines(logs.resolve("db.log"), UTF_8))
                    .containsExactly("2026-12-01T18:26:55.123Z out ready");
        }
    }

    @Test
    void buffersUntilTheEndOfABatch() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3)) {
            sink.accept(out("api", "buffered"));
            assertThat(Files.size(dir.resolve("api.log"))).isZero();
            sink.endOfBatch();
            assertThat(lines("api.log")).hasSize(1);
        }
    }

    @Test
    void closeWritesWhatIsBufferedAndLaterLinesAreIgnored() throws IOException {
        FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3);
        sink.accept(out("api", "last words"));
        sink.close();
        sink.close();
        sink.accept(out("api", "after close"));
        assertThat(lines("api.log")).containsExactly("2026-12-01T18:26:55.123Z out last words");
    }

    @Test
    void appendsToAnExistingFile() throws IOException {
        Files.writeString(dir.resolve("api.log"), "from the last run\n", UTF_8);
        try (FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3)) {
            sink.accept(out("api", "this run"));
        }
        assertThat(lines("api.log")).containsExactly("from the last run", "2026-12-01T18:26:55.123Z out this run");
    }

    @Test
    void stripsAnsiEscapeSequences() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3)) {
            sink.accept(out("web", "\u001b[32m✓\u001b[39m built in \u001b[1m312ms\u001b[22m"));
        }
        assertThat(lines("web.log")).containsExactly("2026-12-01T18:26:55.123Z out ✓ built in 312ms");
    }

    @Test
    void stripsWhileEncodingExactlyAsAnsiStripDoes() throws IOException {
        List<String> samples = List.of(
                "\u001b]8;;http://localhost:5173/\u001b\\link\u001b]8;;\u0007 text",
                "\u009b31mred\u009b0m ✓",
                "\u001b[?25l\u001b[2K\u001b[1G50%\u001b7\u001b(B",
                "cut short \u001b[31",
                "broken \u001b[31\tcsi",
                "\u001b]0;unterminated title");
        try (FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3)) {
            for (String sample : samples) {
                sink.accept(out("api", sample));
            }
        }
        assertThat(lines("api.log"))
                .extracting(line -> line.substring(29))
                .containsExactlyElementsOf(samples.stream().map(Ansi::strip).toList());
    }

    @Test
    void writesReplacementCharactersAndAllOfUnicodeAsUtf8() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 1024 * 1024, 3)) {
            sink.accept(out("api", "ok\uFFFD\uFFFD! é ü ✓ 🎉 lone \uD83D surrogate"));
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("api.log"));
        String expected = "2026-12-01T18:26:55.123Z out ok\uFFFD\uFFFD! é ü ✓ 🎉 lone \uFFFD surrogate\n";
        assertThat(bytes).isEqualTo(expected.getBytes(UTF_8));
    }

    @Test
    void writesAMebibyteLineWhole() throws IOException {
        String mebibyte = "ab✓".repeat(1024 * 1024 / 3 + 1);
        try (FileLogSink sink = new FileLogSink(dir, FileLogSink.DEFAULT_MAX_BYTES, 3)) {
            sink.accept(out("api", "before"));
            sink.accept(out("api", mebibyte));
            sink.accept(out("api", "after"));
        }
        assertThat(lines("api.log"))
                .containsExactly(
                        "2026-12-01T18:26:55.123Z out before",
                        "2026-12-01T18:26:55.123Z out " + mebibyte,
                        "2026-12-01T18:26:55.123Z out after");
    }

    @Test
    void givesALineLongerThanTheLimitAFileOfItsOwn() throws IOException {
        String big = "x".repeat(10_000);
        try (FileLogSink sink = new FileLogSink(dir, 1000, 3)) {
            sink.accept(out("api", "before"));
            sink.accept(out("api", big));
            sink.accept(out("api", "after"));
        }
        assertThat(files()).containsExactly("api.log", "api.log.1", "api.log.2");
        assertThat(lines("api.log.2")).extracting(line -> line.substring(29)).containsExactly("before");
        assertThat(lines("api.log.1")).extracting(line -> line.substring(29)).containsExactly(big);
        assertThat(lines("api.log")).extracting(line -> line.substring(29)).containsExactly("after");
    }

    @Test
    void rotatesBeforeALineWouldTakeTheFilePastItsLimitAndKeepsThatManyFiles() throws IOException {
        // Each line is 30 + 2 bytes: "2026-12-01T18:26:55.123Z out " is 29, then two digits and \n.
        try (FileLogSink sink = new FileLogSink(dir, 64, 2)) {
            for (int i = 10; i < 19; i++) {
                sink.accept(out("api", Integer.toString(i)));
                sink.endOfBatch();
            }
        }
        assertThat(files()).containsExactly("api.log", "api.log.1", "api.log.2");
        assertThat(lines("api.log.2")).extracting(line -> line.substring(29)).containsExactly("14", "15");
        assertThat(lines("api.log.1")).extracting(line -> line.substring(29)).containsExactly("16", "17");
        assertThat(lines("api.log")).extracting(line -> line.substring(29)).containsExactly("18");
        assertThat(Files.size(dir.resolve("api.log.1"))).isEqualTo(64);
    }

    @Test
    void withNothingToKeepRotationStartsAFreshFile() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 64, 0)) {
            for (int i = 10; i < 13; i++) {
                sink.accept(out("api", Integer.toString(i)));
            }
        }
        assertThat(files()).containsExactly("api.log");
        assertThat(lines("api.log")).extracting(line -> line.substring(29)).containsExactly("12");
    }

    @Test
    void replacesUnsafeCharactersOfServiceNames() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 1024, 3)) {
            sink.accept(out("../etc/passwd", "nope"));
            sink.accept(out("web ui:dev", "spaces and colons"));
            sink.accept(out("api-v2.internal_x", "kept"));
        }
        assertThat(files()).containsExactly(".._etc_passwd.log", "api-v2.internal_x.log", "web_ui_dev.log");
        assertThat(FileLogSink.fileOf(dir, "a/b")).isEqualTo(dir.resolve("a_b.log"));
    }

    @Test
    void servicesWhoseNamesSanitizeAlikeShareAFile() throws IOException {
        try (FileLogSink sink = new FileLogSink(dir, 1024, 3)) {
            sink.accept(out("a/b", "one"));
            sink.accept(out("a:b", "two"));
        }
        assertThat(lines("a_b.log")).extracting(line -> line.substring(29)).containsExactly("one", "two");
    }

    @Test
    void dropsTheLinesOfAFileThatCannotBeOpenedAndNeverThrows() throws IOException {
        Files.createDirectory(dir.resolve("api.log")); // a directory where the file should be
        try (FileLogSink sink = new FileLogSink(dir, 1024, 3)) {
            sink.accept(out("api", "lost"));
            sink.accept(out("db", "kept"));
            sink.endOfBatch();
        }
        assertThat(Files.isDirectory(dir.resolve("api.log"))).isTrue();
        assertThat(lines("db.log")).hasSize(1);
    }

    @Test
    void retriesAFailedFileWhenItsRotationIsDue() throws IOException {
        Path blocker = Files.createDirectory(dir.resolve("api.log"));
        try (FileLogSink sink = new FileLogSink(dir, 64, 1)) {
            sink.accept(out("api", "10")); // cannot open: dropped
            sink.accept(out("api", "11")); // 64 bytes would be there: dropped
            sink.accept(out("api", "12")); // rotation due: the directory moves to api.log.1, a fresh file opens
            sink.accept(out("api", "13"));
        }
        assertThat(Files.isDirectory(dir.resolve("api.log.1"))).isTrue();
        assertThat(Files.exists(blocker)).isTrue();
        assertThat(lines("api.log")).extracting(line -> line.substring(29)).containsExactly("12", "13");
    }

    @Test
    void rejectsNonsensicalLimits() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FileLogSink(dir, 0, 3))
                .withMessage("maxBytes: 0 (expected: >= 1)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FileLogSink(dir, 10, -1))
                .withMessage("keep: -1 (expected: >= 0)");
    }
}
