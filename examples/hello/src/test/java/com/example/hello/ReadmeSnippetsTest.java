package com.example.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** farm-testkit's README shows these tests' classes as they are; this fails when one changes and the README not. */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("../../farm-testkit/README.md");
    private static final Path SOURCES = Path.of("src/test/java/com/example/hello");

    @Test
    void theReadmeShowsHelloStackItWhole() throws IOException {
        String source = read(SOURCES.resolve("HelloStackIT.java"));

        assertThat(read(README)).contains(source.substring(source.indexOf("@Timeout(120)")));
    }

    @Test
    void theReadmeShowsRestartStackItWithoutItsHelper() throws IOException {
        String source = read(SOURCES.resolve("RestartStackIT.java"));
        String shown =
                source.substring(source.indexOf("@Timeout(120)"), source.indexOf("    private static String get("))
                                .stripTrailing()
                        + "\n}\n";

        assertThat(read(README)).contains(shown);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
