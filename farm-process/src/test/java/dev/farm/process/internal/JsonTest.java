package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object value =
                Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null, \"x\"], \"b\": {}, \"c\": [], \"a2\": 0} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put(
                "a",
                Arrays.asList(
                        new BigDecimal("1"), new BigDecimal("-2.5"), new BigDecimal("3e2"), true, false, null, "x"));
        expected.put("b", Map.of());
        expected.put("c", List.of());
        expected.put("a2", new BigDecimal("0"));
        assertThat(value).isEqualTo(expected);
    }

    @Test
    void decodesEveryEscape() throws Exception {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\ud834\\udd1e \\u00E9\""))
                .isEqualTo("\" \\ / \b \f \n \r \t A \uD834\uDD1E é");
    }

    @Test
    void aRepeatedNameKeepsItsLastValue() throws Exception {
        assertThat(Json.parse("{\"a\": 1, \"a\": 2}")).isEqualTo(Map.of("a", new BigDecimal("2")));
    }

    @Test
    void quotedStringsParseBackToThemselves() throws Exception {
        for (String original : List.of(
                "", "plain", "\"\\", "\n\r\t\b\f", "\u0000\u001f\u007f", "é ☕ \uD834\uDD1E", "\uD800", "x\uDC00y")) {
            String quoted = Json.quote(new StringBuilder(), original).toString();
            assertThat(Json.parse(quoted)).as(quoted).isEqualTo(original);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "01",
                "-",
                "1.",
                ".5",
                "1e",
                "+1",
                "tru",
                "nul",
                "\"open",
                "\"bad \\x escape\"",
                "\"\\u12\"",
                "\"\\u12zz\"",
                "{\"a\" 1}",
                "{\"a\": 1,}",
                "{a: 1}",
                "[1,]",
                "[1 2]",
                "{} {}",
                "'single'",
            })
    void rejectsWhatIsNotJson(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.MalformedException.class);
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() throws Exception {
        assertThat(Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)))
                .isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000)))
                .isInstanceOf(Json.MalformedException.class)
                .hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1\n  \"b\": 2}"))
                .hasMessage("line 3, column 3: expected ',' or '}' after a member, found '\"'");
        assertThatThrownBy(() -> Json.parse("[1,\n"))
                .hasMessage("line 2, column 1: expected a value, found the end of the file");
        assertThatThrownBy(() -> Json.parse("\"a\tb\""))
                .hasMessage("line 1, column 3: a raw control character (U+0009) in a string; it must be escaped");
    }
}
