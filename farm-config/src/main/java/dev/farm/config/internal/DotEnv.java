package dev.farm.config.internal;

import dev.farm.config.ConfigProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads env files ({@code .env}) in the syntax docker compose and python-dotenv share.
 *
 * <ul>
 *   <li>{@code KEY=VALUE} lines; blank lines and lines starting with {@code #} are skipped; a line may start with
 *       {@code export }; spaces and tabs around the key and around {@code =} do not count.
 *   <li>A key is {@code [A-Za-z_][A-Za-z0-9_.-]*}.
 *   <li>An unquoted value is trimmed and ends where a space or tab is followed by {@code #} (an inline comment), so
 *       {@code A= # note} is empty while {@code A=#1} is {@code #1}. Backslashes in it are literal.
 *   <li>A single-quoted value is literal up to the next {@code '}: no escapes, no interpolation, and it may span
 *       lines. It cannot hold a {@code '}; use double quotes for that.
 *   <li>A double-quoted value may span lines and knows the escapes {@code \n}, {@code \r}, {@code \t}, {@code \"},
 *       {@code \'}, {@code \\} and {@code \$}. {@code \$} becomes the two characters {@code $$}, which interpolation
 *       turns into a literal {@code $}. Any other backslash stays as written, so {@code "C:\dir"} keeps its backslash.
 *   <li>After a closing quote only spaces, tabs and a comment ({@code #} after a space or tab) may follow.
 *   <li>When a key appears twice, the last assignment wins, as in docker compose.
 *   <li>CRLF line endings and a leading UTF-8 byte order mark are accepted.
 * </ul>
 *
 * <p>The parser never throws on bad input: it returns every assignment it could read and a problem for every line it
 * could not. A line with a problem yields no entry. Lines and columns are 1-based and count UTF-16 characters; the
 * byte order mark does not count.
 */
final class DotEnv {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private DotEnv() {}

    /**
     * One assignment.
     *
     * @param key the variable name
     * @param value the value with quotes removed and escapes resolved
     * @param interpolate false for a single-quoted value, which is literal; otherwise the caller expands {@code ${...}}
     *     and {@code $$}
     * @param line the 1-based line of the key
     * @param column the 1-based column of the key
     */
    record Entry(String key, String value, boolean interpolate, int line, int column) {

        Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * What a file holds.
     *
     * @param entries the assignments in effect, one per key, in the file order of the assignment that wins
     * @param problems every problem in file order; empty when the file is fine
     */
    record Result(List<Entry> entries, List<ConfigProblem> problems) {

        Result {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Parses the text of an env file.
     *
     * @param file the file, as the user named it, for the problems
     * @param text the whole file
     * @return the assignments and the problems, never {@code null}
     */
    static Result parse(Path file, String text) {
        return new Parser(file, Lines.split(text)).parse();
    }

    private static final class Parser {

        private final Path file;
        private final List<String> lines;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final List<ConfigProblem> problems = new ArrayList<>();

        Parser(Path file, List<String> lines) {
            this.file = file;
            this.lines = lines;
        }

        Result parse() {
            int index = 0;
            while (index < lines.size()) {
                index = statement(index);
            }
            return new Result(new ArrayList<>(entries.values()), problems);
        }

        /** Reads the statement starting on line {@code index} (0-based) and returns the index of the next line. */
        private int statement(int index) {
            String text = lines.get(index);
            int lineNumber = index + 1;
            int start = Lines.skipBlanks(text, 0);
            if (start == text.length() || text.charAt(start) == '#') {
                return index + 1;
            }
            int keyStart = start;
            if (text.startsWith("export", start)
                    && start + 6 < text.length()
                    && Lines.isBlank(text.charAt(start + 6))) {
                int afterExport = Lines.skipBlanks(text, start + 6);
                // "export = 1" assigns the variable named export.
                if (afterExport < text.length() && text.charAt(afterExport) != '=') {
                    keyStart = afterExport;
                }
            }
            int equals = text.indexOf('=', keyStart);
            if (equals < 0) {
                noEquals(text, lineNumber, start, keyStart);
                return index + 1;
            }
            String key = text.substring(keyStart, equals).strip();
            boolean valid = true;
            if (key.isEmpty()) {
                valid = false;
                problem(
                        lineNumber,
                        start + 1,
                        "",
                        "expected a variable name before the =, found nothing. Write the line as KEY=VALUE.");
            } else if (!KEY.matcher(key).matches()) {
                valid = false;
                problem(
                        lineNumber,
                        keyStart + 1,
                        "",
                        "not a valid variable name: " + quote(key) + ". A name starts with a letter or _ and holds"
                                + " only letters, digits, _, . and -. Rename it.");
            }
            String path = valid ? key : "";
            int valueStart = Lines.skipBlanks(text, equals + 1);
            char open = valueStart < text.length() ? text.charAt(valueStart) : '\n';
            @Nullable Value value;
            int next;
            if (open == '\'' || open == '"') {
                Quoted quoted = quoted(index, valueStart, path);
                value = quoted.value();
                next = quoted.next();
            } else {
                value = new Value(unquoted(text, equals + 1), true);
                next = index + 1;
            }
            if (value == null || !valid) {
                return next;
            }
            if (value.text().indexOf('\0') >= 0) {
                problem(
                        lineNumber,
                        valueStart + 1,
                        path,
                        "the value holds a NUL character, which no environment can carry. Remove it.");
                return next;
            }
            entries.remove(key);
            entries.put(key, new Entry(key, value.text(), value.interpolate(), lineNumber, keyStart + 1));
            return next;
        }

        private void noEquals(String text, int lineNumber, int start, int keyStart) {
            String found = text.substring(start).strip();
            String name = Lines.stripComment(text, keyStart).strip();
            if (KEY.matcher(name).matches()) {
                problem(
                        lineNumber,
                        keyStart + 1,
                        name,
                        "expected KEY=VALUE, found " + quote(found) + " without =, which sets nothing. Write " + name
                                + "= for an empty value, or start the line with # to make it a comment.");
            } else {
                problem(
                        lineNumber,
                        start + 1,
                        "",
                        "expected KEY=VALUE, found " + quote(found) + ". Write the line as KEY=VALUE, or start it"
                                + " with # to make it a comment.");
            }
        }

        private static String unquoted(String text, int from) {
            return Lines.stripComment(text, from).strip();
        }

        /**
         * Reads a quoted value whose opening quote is at {@code column} (0-based) of line {@code index}.
         *
         * @return the value, or a null value when there was a problem, and the index of the line after it
         */
        private Quoted quoted(int index, int column, String path) {
            String text = lines.get(index);
            char quote = text.charAt(column);
            StringBuilder value = new StringBuilder();
            int lineIndex = index;
            int position = column + 1;
            while (true) {
                if (position == text.length()) {
                    if (lineIndex + 1 == lines.size()) {
                        unterminated(index, column, path, quote);
                        // Resume on the line after the opening quote: most often the closing quote was forgotten
                        // on a one-line value, and the lines below are assignments of their own.
                        return new Quoted(null, index + 1);
                    }
                    value.append('\n');
                    lineIndex++;
                    text = lines.get(lineIndex);
                    position = 0;
                    continue;
                }
                char c = text.charAt(position);
                if (c == quote) {
                    break;
                }
                if (c == '\\' && quote == '"' && position + 1 < text.length()) {
                    String escaped = escape(text.charAt(position + 1));
                    if (escaped != null) {
                        value.append(escaped);
                        position += 2;
                        continue;
                    }
                }
                value.append(c);
                position++;
            }
            int after = Lines.skipBlanks(text, position + 1);
            boolean comment = after < text.length() && text.charAt(after) == '#' && after > position + 1;
            if (after < text.length() && !comment) {
                problem(
                        lineIndex + 1,
                        after + 1,
                        path,
                        "expected the end of the line after the closing " + quote + ", found "
                                + quote(text.substring(after).strip()) + ". Move the text inside the quotes, or"
                                + " put a space before the # of a comment.");
                return new Quoted(null, lineIndex + 1);
            }
            return new Quoted(new Value(value.toString(), quote == '"'), lineIndex + 1);
        }

        private void unterminated(int index, int column, String path, char quote) {
            String what = quote == '"'
                    ? "Add the closing \", and write a \" inside the value as \\\"."
                    : "Add the closing '; for a ' inside the value, use double quotes instead.";
            problem(
                    index + 1,
                    column + 1,
                    path,
                    "the value's opening " + quote + " has no closing " + quote + " before the end of the file. "
                            + what);
        }

        private static @Nullable String escape(char c) {
            return switch (c) {
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case '"' -> "\"";
                case '\'' -> "'";
                case '\\' -> "\\";
                case '$' -> "$$";
                default -> null;
            };
        }

        private void problem(int line, int column, String path, String message) {
            problems.add(new ConfigProblem(file, line, column, path, message));
        }
    }

    private static String quote(String text) {
        return '"' + text + '"';
    }

    /** A value and whether the caller interpolates it. */
    private record Value(String text, boolean interpolate) {}

    /** A quoted value, null when it had a problem, and the index of the line after it. */
    private record Quoted(@Nullable Value value, int next) {}
}
