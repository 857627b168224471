package dev.farm.config.internal;

import dev.farm.config.ConfigProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code Procfile} the way foreman does: each line {@code name: command} declares a process type.
 *
 * <p>A line must match {@code ^([A-Za-z0-9_-]+):\s*(.+)$}; blank lines and lines starting with {@code #} (after
 * optional spaces or tabs) are skipped. The command is everything after the colon and the blanks that follow it, with
 * trailing blanks removed; it is run by {@code /bin/sh -c}, so a {@code #} in it is the shell's business. CRLF line
 * endings and a leading UTF-8 byte order mark are accepted.
 *
 * <p>Where foreman silently skips a line it cannot read, this parser reports it. It never throws on bad input: it
 * returns every process type it could read and a problem for every line it could not. Of two lines with the same
 * name, the first is kept and the second is a problem.
 */
final class Procfile {

    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]+):[ \\t]*(.*)");

    /** foreman's default base port. */
    private static final int BASE_PORT = 5000;

    /** foreman's step between process types. */
    private static final int PORT_STEP = 100;

    /** The last index whose port is still at most 65535. */
    static final int MAX_INDEX = (65535 - BASE_PORT) / PORT_STEP;

    private Procfile() {}

    /**
     * One process type.
     *
     * @param name the name before the colon
     * @param command the command after it, never empty
     * @param line the 1-based line
     * @param column the 1-based column of the command's first character
     */
    record Entry(String name, String command, int line, int column) {

        Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * What a Procfile holds.
     *
     * @param entries the process types in file order
     * @param problems every problem in file order; empty when the file is fine
     */
    record Result(List<Entry> entries, List<ConfigProblem> problems) {

        Result {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Parses the text of a Procfile.
     *
     * @param file the file, as the user named it, for the problems
     * @param text the whole file
     * @return the process types and the problems, never {@code null}
     */
    static Result parse(Path file, String text) {
        List<Entry> entries = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        List<String> lines = Lines.split(text);
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            int lineNumber = index + 1;
            int start = Lines.skipBlanks(line, 0);
            if (start == line.length() || line.charAt(start) == '#') {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                problems.add(new ConfigProblem(
                        file,
                        lineNumber,
                        start + 1,
                        "",
                        "expected name: command, found \"" + line.strip() + "\". Write the line as name: command,"
                                + " with a name of letters, digits, _ and - at the start of the line, or start it"
                                + " with # to make it a comment."));
                continue;
            }
            String name = matcher.group(1);
            String command = matcher.group(2).stripTrailing();
            if (command.isEmpty()) {
                problems.add(new ConfigProblem(
                        file,
                        lineNumber,
                        matcher.end(1) + 2,
                        name,
                        "the command is empty. Write the command to run after the colon, such as " + name
                                + ": npm start, or remove the line."));
                continue;
            }
            Integer first = firstLine.putIfAbsent(name, lineNumber);
            if (first != null) {
                problems.add(new ConfigProblem(
                        file,
                        lineNumber,
                        1,
                        name,
                        "the process type '" + name + "' is already declared on line " + first + ". Rename one of"
                                + " them, or remove one."));
                continue;
            }
            entries.add(new Entry(name, command, lineNumber, matcher.start(2) + 1));
        }
        return new Result(entries, problems);
    }

    /**
     * Returns the {@code PORT} foreman gives the process type at {@code index}: 5000, 5100, 5200, … .
     *
     * @param index the 0-based position of the process type in the file
     * @return {@code 5000 + 100 * index}
     * @throws IllegalArgumentException when the index is negative or the port would exceed 65535
     */
    static int port(int index) {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("index: " + index + " (expected: 0-" + MAX_INDEX + ")");
        }
        return BASE_PORT + PORT_STEP * index;
    }
}
