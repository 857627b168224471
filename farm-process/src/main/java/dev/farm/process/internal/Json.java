package dev.farm.process.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for farm's own small files, because this module takes no JSON library: a strict RFC 8259 parser
 * into plain Java values and a string writer.
 *
 * <p>Objects parse to {@code Map<String, Object>} keeping their order (a repeated name keeps its last value), arrays to
 * {@code List<Object>}, strings to {@link String}, numbers to {@link BigDecimal}, {@code true}/{@code false} to
 * {@link Boolean}, and {@code null} to {@code null}. Nesting deeper than {@value #MAX_DEPTH} is refused rather than
 * risking the stack.
 */
final class Json {

    static final int MAX_DEPTH = 64;

    private Json() {}

    /** The text is not JSON; the message says where and what was expected. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Parses one JSON value that makes up the whole text, whitespace around it allowed.
     *
     * @throws MalformedException naming the line and column of the first error
     */
    static @Nullable Object parse(String text) throws MalformedException {
        Parser parser = new Parser(text);
        if (text.startsWith("\uFEFF")) {
            parser.pos = 1; // a byte order mark some editors add
        }
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("expected the end of the file after the value, found " + parser.found());
        }
        return value;
    }

    /** Appends a string as a JSON string literal: quotes, backslashes, control characters and lone surrogates escaped. */
    static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i)); // a pair: valid UTF-8 as it is
                    } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                        // Control characters must be escaped; a lone surrogate has no UTF-8 form and would turn into
                        // '?' on the way to disk.
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** A short description of a parsed value for error messages: {@code "abc"}, {@code 12}, {@code an object}. */
    static String describe(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String string) {
            String shown = string.length() > 40 ? string.substring(0, 40) + "..." : string;
            return quote(new StringBuilder(), shown).toString();
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.toString();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        @Nullable
        Object value(int depth) throws MalformedException {
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("expected a value, found the end of the file");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", true);
                case 'f' -> literal("false", false);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("expected a value, found " + found());
                }
            };
        }

        private Map<String, @Nullable Object> object(int depth) throws MalformedException {
            checkDepth(depth);
            pos++; // {
            Map<String, @Nullable Object> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return members;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a member name in double quotes, found " + found());
                }
                String name = string();
                skipWhitespace();
                expect(':', "after the member name");
                members.put(name, value(depth));
                skipWhitespace();
                char next = peek();
                if (next == ',') {
                    pos++;
                } else if (next == '}') {
                    pos++;
                    return members;
                } else {
                    throw error("expected ',' or '}' after a member, found " + found());
                }
            }
        }

        private List<@Nullable Object> array(int depth) throws MalformedException {
            checkDepth(depth);
            pos++; // [
            List<@Nullable Object> elements = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return elements;
            }
            while (true) {
                elements.add(value(depth));
                skipWhitespace();
                char next = peek();
                if (next == ',') {
                    pos++;
                } else if (next == ']') {
                    pos++;
                    return elements;
                } else {
                    throw error("expected ',' or ']' after an element, found " + found());
                }
            }
        }

        private String string() throws MalformedException {
            int start = pos;
            pos++; // "
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    pos = start;
                    throw error("this string is never closed");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("a raw control character (U+" + hex(c) + ") in a string; it must be escaped");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("expected an escape after '\\', found the end of the file");
                }
                char escape = text.charAt(pos++);
                switch (escape) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(unicodeEscape());
                    default -> {
                        pos--;
                        throw error("'\\" + escape + "' is not a JSON escape");
                    }
                }
            }
        }

        private char unicodeEscape() throws MalformedException {
            if (pos + 4 > text.length()) {
                throw error("expected four hex digits after '\\u'");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos + i), 16);
                if (digit < 0) {
                    throw error("expected four hex digits after '\\u', found \"" + text.substring(pos, pos + 4) + "\"");
                }
                value = value * 16 + digit;
            }
            pos += 4;
            return (char) value;
        }

        private BigDecimal number() throws MalformedException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("expected a digit, found " + found());
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("expected a digit after the decimal point, found " + found());
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent, found " + found());
                }
            }
            try {
                return new BigDecimal(text.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("a number out of range");
            }
        }

        private boolean digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private @Nullable Object literal(String word, @Nullable Object value) throws MalformedException {
            if (!text.startsWith(word, pos)) {
                throw error("expected a value, found " + found());
            }
            pos += word.length();
            return value;
        }

        private void expect(char c, String where) throws MalformedException {
            if (peek() != c) {
                throw error("expected '" + c + "' " + where + ", found " + found());
            }
            pos++;
        }

        private void checkDepth(int depth) throws MalformedException {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
        }

        /** The character at the position, or U+0000 at the end (which no valid token starts with). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        String found() {
            if (pos >= text.length()) {
                return "the end of the file";
            }
            char c = text.charAt(pos);
            return c < 0x20 || c == 0x7F ? "U+" + hex(c) : "'" + c + "'";
        }

        MalformedException error(String message) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new MalformedException("line " + line + ", column " + column + ": " + message);
        }

        private static String hex(char c) {
            return String.format(Locale.ROOT, "%04X", (int) c);
        }
    }
}
