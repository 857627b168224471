package dev.farm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed file gives exactly one message, with its line, column, key path, what was found and what to do. */
class MalformedConfigTest {

    @TempDir
    Path dir;

    /** The cases live in a text file so that farm-cli's {@code farm config check} test runs the same table. */
    static Stream<Arguments> cases() throws IOException {
        return MalformedCases.read().stream().map(c -> Arguments.of(c.title(), c.yaml(), c.expected()));
    }

    @Test
    void theTableCoversAtLeastFortyMistakes() throws IOException {
        assertThat(MalformedCases.read()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainsTheMistake(String title, String yaml, String expected) throws IOException {
        Path file = dir.resolve("farm.yaml");
        Files.writeString(file, yaml);
        String prefix = expected.matches("(?s)^\\d+:\\d+: .*") ? file + ":" : file + ": ";

        assertThatThrownBy(() -> ConfigSource.file(file, MalformedCases.OPTIONS).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(prefix
                        + expected.replace(
                                        "{dir}",
                                        dir.toAbsolutePath().normalize().toString())
                                .replace("{file}", file.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void carriesLineAndColumnApart(String title, String yaml, String expected) throws IOException {
        Path file = dir.resolve("farm.yaml");
        Files.writeString(file, yaml);
        ConfigException e = ConfigSourceTest.catchConfig(
                () -> ConfigSource.file(file, MalformedCases.OPTIONS).load());

        assertThat(e.problems()).hasSize(expected.split("\n").length);
        ConfigProblem problem = e.problems().get(0);
        if (expected.matches("(?s)^\\d+:\\d+: .*")) {
            String[] position = expected.split(":", 3);
            assertThat(problem.line()).isEqualTo(Integer.parseInt(position[0]));
            assertThat(problem.column()).isEqualTo(Integer.parseInt(position[1]));
        } else {
            assertThat(problem.line()).isZero();
        }
    }
}
