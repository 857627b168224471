package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigProblem;
import dev.farm.config.internal.DotEnv.Entry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each case is a whole env file and every entry and problem it yields, with line and column. */
class DotEnvTest {

    private static final Path FILE = Path.of(".env");

    private static final String EXPECTED_KEY_VALUE =
            ". Write the line as KEY=VALUE, or start it with # to make it a comment.";
    private static final String NAME_RULE =
            ". A name starts with a letter or _ and holds only letters, digits, _, . and -. Rename it.";
    private static final String UNTERMINATED_DOUBLE = "the value's opening \" has no closing \" before the end of the"
            + " file. Add the closing \", and write a \" inside the value as \\\".";
    private static final String UNTERMINATED_SINGLE = "the value's opening ' has no closing ' before the end of the"
            + " file. Add the closing '; for a ' inside the value, use double quotes instead.";
    private static final String AFTER_QUOTE =
            ". Move the text inside the quotes, or put a space before the # of a comment.";

    /** An entry whose value the caller interpolates. */
    private static Entry entry(String key, String value, int line, int column) {
        return new Entry(key, value, true, line, column);
    }

    /** An entry from a single-quoted value, which is literal. */
    private static Entry literal(String key, String value, int line, int column) {
        return new Entry(key, value, false, line, column);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("one assignment", "PORT=8000\n", List.of(entry("PORT", "8000", 1, 1))),
                Arguments.of(
                        "blank and comment lines are skipped",
                        "# database\n\n   \nA=1\n\t# indented comment\nB=2\n",
                        List.of(entry("A", "1", 4, 1), entry("B", "2", 6, 1))),
                Arguments.of(
                        "export prefix, the key's column is after it",
                        "export A=1\nexport\t  B=2\n",
                        List.of(entry("A", "1", 1, 8), entry("B", "2", 2, 10))),
                Arguments.of(
                        "whitespace around the key and the = does not count",
                        "  A  =  one\n\tB\t=\ttwo\n",
                        List.of(entry("A", "one", 1, 3), entry("B", "two", 2, 2))),
                Arguments.of(
                        "keys may hold letters, digits, _, . and -",
                        "_private=1\nspring.profiles-active_2=dev\n",
                        List.of(entry("_private", "1", 1, 1), entry("spring.profiles-active_2", "dev", 2, 1))),
                Arguments.of(
                        "unquoted values are trimmed and keep inner spaces",
                        "GREETING=   hello   world   \n",
                        List.of(entry("GREETING", "hello   world", 1, 1))),
                Arguments.of(
                        "an unquoted value ends at a space or tab before #",
                        "A=b # note\nB=c\t# note\n",
                        List.of(entry("A", "b", 1, 1), entry("B", "c", 2, 1))),
                Arguments.of(
                        "a # right after a character is part of the value",
                        "COLOR=#ff0000\nURL=http://host/page#top\n",
                        List.of(entry("COLOR", "#ff0000", 1, 1), entry("URL", "http://host/page#top", 2, 1))),
                Arguments.of(
                        "a comment right after the = leaves the value empty",
                        "A= # nothing yet\n",
                        List.of(entry("A", "", 1, 1))),
                Arguments.of(
                        "empty values",
                        "A=\nB=''\nC=\"\"\n",
                        List.of(entry("A", "", 1, 1), literal("B", "", 2, 1), entry("C", "", 3, 1))),
                Arguments.of(
                        "a value may hold =",
                        "DATABASE_URL=postgres://u:p@h/db?sslmode=require\n",
                        List.of(entry("DATABASE_URL", "postgres://u:p@h/db?sslmode=require", 1, 1))),
                Arguments.of(
                        "unquoted values keep quotes, backslashes and $ as written",
                        "A=it's \"x\"\nB=a\\nb\nC=${HOME}/bin:$$PATH\n",
                        List.of(
                                entry("A", "it's \"x\"", 1, 1),
                                entry("B", "a\\nb", 2, 1),
                                entry("C", "${HOME}/bin:$$PATH", 3, 1))),
                Arguments.of(
                        "single quotes are literal and not interpolated",
                        "A='${HOME} \\n \\\\ $$'\n",
                        List.of(literal("A", "${HOME} \\n \\\\ $$", 1, 1))),
                Arguments.of(
                        "a single-quoted value keeps # and spaces",
                        "A='  a # b  ' # note\n",
                        List.of(literal("A", "  a # b  ", 1, 1))),
                Arguments.of(
                        "a single-quoted value may span lines",
                        "KEY='-----BEGIN-----\nabc\n-----END-----'\nNEXT=1\n",
                        List.of(literal("KEY", "-----BEGIN-----\nabc\n-----END-----", 1, 1), entry("NEXT", "1", 4, 1))),
                Arguments.of(
                        "double-quoted escapes",
                        "A=\"tab\\there\\nnew\\rline \\\"q\\\" \\\\ \\'s\"\n",
                        List.of(entry("A", "tab\there\nnew\rline \"q\" \\ 's", 1, 1))),
                Arguments.of(
                        "\\$ in double quotes becomes $$, which interpolation turns into $",
                        "PRICE=\"\\$5 and ${CURRENCY}\"\n",
                        List.of(entry("PRICE", "$$5 and ${CURRENCY}", 1, 1))),
                Arguments.of(
                        "other backslashes in double quotes stay",
                        "DIR=\"C:\\dir\\sub\"\n",
                        List.of(entry("DIR", "C:\\dir\\sub", 1, 1))),
                Arguments.of(
                        "a double-quoted value may span lines and keep # and spaces",
                        "A=\"first # not a comment\n  second\n\"\nB=after\n",
                        List.of(entry("A", "first # not a comment\n  second\n", 1, 1), entry("B", "after", 4, 1))),
                Arguments.of(
                        "whitespace and a comment may follow the closing quote",
                        "A=\"x\"   \nB='y'\t# note\nC = \"z\" # note\n",
                        List.of(entry("A", "x", 1, 1), literal("B", "y", 2, 1), entry("C", "z", 3, 1))),
                Arguments.of(
                        "the last assignment of a key wins, in its own place",
                        "A=1\nB=2\nA=3\n",
                        List.of(entry("B", "2", 2, 1), entry("A", "3", 3, 1))),
                Arguments.of(
                        "CRLF line endings, also inside a quoted value",
                        "A=1\r\nB=\"x\r\ny\"\r\nC='z' \r\n",
                        List.of(entry("A", "1", 1, 1), entry("B", "x\ny", 2, 1), literal("C", "z", 4, 1))),
                Arguments.of(
                        "a UTF-8 byte order mark is not part of the first key",
                        "\uFEFFA=1\nB=2",
                        List.of(entry("A", "1", 1, 1), entry("B", "2", 2, 1))),
                Arguments.of(
                        "export alone before = is a key",
                        "export=1\nexport = 2\nexportFOO=3\n",
                        List.of(entry("export", "2", 2, 1), entry("exportFOO", "3", 3, 1))),
                Arguments.of("an empty file", "", List.of()),
                Arguments.of("only comments", "# one\n#two=2\n", List.of()),
                Arguments.of("the last line needs no line ending", "A='x'", List.of(literal("A", "x", 1, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void readsValidFiles(String description, String text, List<Entry> entries) {
        DotEnv.Result result = DotEnv.parse(FILE, text);

        assertThat(result.problems()).isEmpty();
        assertThat(result.entries()).containsExactlyElementsOf(entries);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(
                        "a line without =",
                        "foo bar\n",
                        List.of(".env:1:1: expected KEY=VALUE, found \"foo bar\"" + EXPECTED_KEY_VALUE),
                        List.of()),
                Arguments.of(
                        "an indented line without =",
                        "A=1\n   some text  \n",
                        List.of(".env:2:4: expected KEY=VALUE, found \"some text\"" + EXPECTED_KEY_VALUE),
                        List.of(entry("A", "1", 1, 1))),
                Arguments.of(
                        "a bare key sets nothing",
                        "DEBUG\n",
                        List.of(".env:1:1: DEBUG: expected KEY=VALUE, found \"DEBUG\" without =, which sets nothing."
                                + " Write DEBUG= for an empty value, or start the line with # to make it a comment."),
                        List.of()),
                Arguments.of(
                        "a bare key after export, with a comment",
                        "export DEBUG # on\n",
                        List.of(".env:1:8: DEBUG: expected KEY=VALUE, found \"export DEBUG # on\" without =, which"
                                + " sets nothing. Write DEBUG= for an empty value, or start the line with # to make"
                                + " it a comment."),
                        List.of()),
                Arguments.of(
                        "a key starting with a digit",
                        "1PASSWORD=x\nB=2\n",
                        List.of(".env:1:1: not a valid variable name: \"1PASSWORD\"" + NAME_RULE),
                        List.of(entry("B", "2", 2, 1))),
                Arguments.of(
                        "a key with a space",
                        "export  MY KEY = x\n",
                        List.of(".env:1:9: not a valid variable name: \"MY KEY\"" + NAME_RULE),
                        List.of()),
                Arguments.of(
                        "a quoted key",
                        "\"A\"=1\n",
                        List.of(".env:1:1: not a valid variable name: \"\"A\"\"" + NAME_RULE),
                        List.of()),
                Arguments.of(
                        "nothing before the =",
                        "  =value\n",
                        List.of(".env:1:3: expected a variable name before the =, found nothing. Write the line as"
                                + " KEY=VALUE."),
                        List.of()),
                Arguments.of(
                        "an unterminated double quote points at the quote and reading resumes on the next line",
                        "A=1\nB = \"oops\nC=3\n",
                        List.of(".env:2:5: B: " + UNTERMINATED_DOUBLE),
                        List.of(entry("A", "1", 1, 1), entry("C", "3", 3, 1))),
                Arguments.of(
                        "a ' inside single quotes ends the value",
                        "export A='it's\n",
                        List.of(".env:1:14: A: expected the end of the line after the closing ', found \"s\""
                                + AFTER_QUOTE),
                        List.of()),
                Arguments.of(
                        "an unterminated single quote at the end of the file",
                        "A=1\nB='never closed\n",
                        List.of(".env:2:3: B: " + UNTERMINATED_SINGLE),
                        List.of(entry("A", "1", 1, 1))),
                Arguments.of(
                        "an escaped quote does not close the value",
                        "A=\"x\\\"\n",
                        List.of(".env:1:3: A: " + UNTERMINATED_DOUBLE),
                        List.of()),
                Arguments.of(
                        "text after the closing quote",
                        "A=\"b\"c\n",
                        List.of(".env:1:6: A: expected the end of the line after the closing \", found \"c\""
                                + AFTER_QUOTE),
                        List.of()),
                Arguments.of(
                        "a # right after the closing quote is not a comment",
                        "A='b'#c\n",
                        List.of(".env:1:6: A: expected the end of the line after the closing ', found \"#c\""
                                + AFTER_QUOTE),
                        List.of()),
                Arguments.of(
                        "text after a multi-line value points at its last line",
                        "A=\"one\ntwo\" three\nB=2\n",
                        List.of(".env:2:6: A: expected the end of the line after the closing \", found \"three\""
                                + AFTER_QUOTE),
                        List.of(entry("B", "2", 3, 1))),
                Arguments.of(
                        "a NUL character in a value",
                        "A=x\u0000y\n",
                        List.of(".env:1:3: A: the value holds a NUL character, which no environment can carry."
                                + " Remove it."),
                        List.of()),
                Arguments.of(
                        "a bad line does not undo an earlier assignment of the same key",
                        "A=1\nA=\"2\" x\n",
                        List.of(".env:2:7: A: expected the end of the line after the closing \", found \"x\""
                                + AFTER_QUOTE),
                        List.of(entry("A", "1", 1, 1))),
                Arguments.of(
                        "every problem is reported, in file order, and the good lines are read",
                        "\uFEFFgood=1\r\nbad line\r\n2bad=x\r\nDEBUG\r\nlast=\"a\r\nb\" c\r\n",
                        List.of(
                                ".env:2:1: expected KEY=VALUE, found \"bad line\"" + EXPECTED_KEY_VALUE,
                                ".env:3:1: not a valid variable name: \"2bad\"" + NAME_RULE,
                                ".env:4:1: DEBUG: expected KEY=VALUE, found \"DEBUG\" without =, which sets nothing."
                                        + " Write DEBUG= for an empty value, or start the line with # to make it a"
                                        + " comment.",
                                ".env:6:4: last: expected the end of the line after the closing \", found \"c\""
                                        + AFTER_QUOTE),
                        List.of(entry("good", "1", 1, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void reportsEveryProblem(String description, String text, List<String> problems, List<Entry> entries) {
        DotEnv.Result result = DotEnv.parse(FILE, text);

        assertThat(result.problems()).map(ConfigProblem::toString).containsExactlyElementsOf(problems);
        assertThat(result.problems())
                .allSatisfy(problem -> assertThat(problem.file()).isEqualTo(FILE));
        assertThat(result.entries()).containsExactlyElementsOf(entries);
    }
}
