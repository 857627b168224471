package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigProblem;
import dev.farm.config.internal.Procfile.Entry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each case is a whole Procfile and every entry and problem it yields, with line and column. */
class ProcfileTest {

    private static final Path FILE = Path.of("Procfile");

    private static final String EXPECTED_NAME_COMMAND = ". Write the line as name: command, with a name of letters,"
            + " digits, _ and - at the start of the line, or start it with # to make it a comment.";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "one process type",
                        "web: bundle exec rails server -p $PORT\n",
                        List.of(new Entry("web", "bundle exec rails server -p $PORT", 1, 6)),
                        List.of()),
                Arguments.of(
                        "names hold letters, digits, _ and -",
                        "web_2: a\nworker-low: b\n3d: c\n",
                        List.of(
                                new Entry("web_2", "a", 1, 8),
                                new Entry("worker-low", "b", 2, 13),
                                new Entry("3d", "c", 3, 5)),
                        List.of()),
                Arguments.of(
                        "no space, or many blanks, after the colon",
                        "a:run\nb:  \t run\n",
                        List.of(new Entry("a", "run", 1, 3), new Entry("b", "run", 2, 7)),
                        List.of()),
                Arguments.of(
                        "the command keeps colons, # and quotes, loses trailing blanks",
                        "web: sh -c 'echo a:b' # the shell's comment  \n",
                        List.of(new Entry("web", "sh -c 'echo a:b' # the shell's comment", 1, 6)),
                        List.of()),
                Arguments.of(
                        "comment and blank lines are skipped",
                        "# processes\n\n  \n  # indented\nweb: run\n",
                        List.of(new Entry("web", "run", 5, 6)),
                        List.of()),
                Arguments.of(
                        "CRLF line endings and a byte order mark",
                        "\uFEFFweb: run\r\nworker: work\r\n",
                        List.of(new Entry("web", "run", 1, 6), new Entry("worker", "work", 2, 9)),
                        List.of()),
                Arguments.of("an empty file", "", List.of(), List.of()),
                Arguments.of(
                        "a line that is not name: command",
                        "web: run\nnpm start\n",
                        List.of(new Entry("web", "run", 1, 6)),
                        List.of("Procfile:2:1: expected name: command, found \"npm start\"" + EXPECTED_NAME_COMMAND)),
                Arguments.of(
                        "a name with a character foreman does not allow",
                        "web.1: run\n",
                        List.of(),
                        List.of("Procfile:1:1: expected name: command, found \"web.1: run\"" + EXPECTED_NAME_COMMAND)),
                Arguments.of(
                        "a space before the colon",
                        "web : run\n",
                        List.of(),
                        List.of("Procfile:1:1: expected name: command, found \"web : run\"" + EXPECTED_NAME_COMMAND)),
                Arguments.of(
                        "an indented line, which foreman does not read",
                        "  web: run\n",
                        List.of(),
                        List.of("Procfile:1:3: expected name: command, found \"web: run\"" + EXPECTED_NAME_COMMAND)),
                Arguments.of(
                        "an empty command",
                        "web:\nworker:   \r\n",
                        List.of(),
                        List.of(
                                "Procfile:1:5: web: the command is empty. Write the command to run after the colon,"
                                        + " such as web: npm start, or remove the line.",
                                "Procfile:2:8: worker: the command is empty. Write the command to run after the"
                                        + " colon, such as worker: npm start, or remove the line.")),
                Arguments.of(
                        "a duplicate name names the first line and keeps the first",
                        "web: one\nworker: w\nweb: two\n",
                        List.of(new Entry("web", "one", 1, 6), new Entry("worker", "w", 2, 9)),
                        List.of("Procfile:3:1: web: the process type 'web' is already declared on line 1. Rename"
                                + " one of them, or remove one.")),
                Arguments.of(
                        "every problem is reported and the good lines are read",
                        "bad\nweb: run\n:\nweb: again\napi:\n",
                        List.of(new Entry("web", "run", 2, 6)),
                        List.of(
                                "Procfile:1:1: expected name: command, found \"bad\"" + EXPECTED_NAME_COMMAND,
                                "Procfile:3:1: expected name: command, found \":\"" + EXPECTED_NAME_COMMAND,
                                "Procfile:4:1: web: the process type 'web' is already declared on line 2. Rename"
                                        + " one of them, or remove one.",
                                "Procfile:5:5: api: the command is empty. Write the command to run after the colon,"
                                        + " such as api: npm start, or remove the line.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parses(String description, String text, List<Entry> entries, List<String> problems) {
        Procfile.Result result = Procfile.parse(FILE, text);

        assertThat(result.entries()).containsExactlyElementsOf(entries);
        assertThat(result.problems()).map(ConfigProblem::toString).containsExactlyElementsOf(problems);
    }

    @Test
    void portsAreForemansFromFiveThousandInStepsOfOneHundred() {
        assertThat(Procfile.port(0)).isEqualTo(5000);
        assertThat(Procfile.port(1)).isEqualTo(5100);
        assertThat(Procfile.port(2)).isEqualTo(5200);
        assertThat(Procfile.port(605)).isEqualTo(65500);
    }

    @Test
    void portRejectsAnIndexWithoutAPort() {
        assertThatThrownBy(() -> Procfile.port(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index: -1 (expected: 0-605)");
        assertThatThrownBy(() -> Procfile.port(606))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index: 606 (expected: 0-605)");
    }
}
