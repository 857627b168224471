package dev.farm.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.internal.Node.Mark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses YAML and JSON files into located trees, rewording the parsers' errors for people. */
final class TreeFormat {

    static final JsonFactory YAML = YAMLFactory.builder().build();
    static final JsonFactory JSON = JsonFactory.builder().build();

    private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+):");

    private TreeFormat() {}

    /** Parses a file; an empty document is empty. Unreadable or malformed files throw at once. */
    static Optional<Node> parse(Path file, JsonFactory factory, Problems problems) {
        return parse(file, file, factory, problems);
    }

    /**
     * Parses {@code source}, naming it {@code file} in marks and problems (such as a manifest relative to the project
     * folder); an empty document is empty. Unreadable or malformed files throw at once.
     */
    static Optional<Node> parse(Path source, Path file, JsonFactory factory, Problems problems) {
        boolean yaml = factory instanceof YAMLFactory;
        try (InputStream in = Files.newInputStream(source);
                JsonParser parser = factory.createParser(in)) {
            return new TreeReader(file, parser, problems).read();
        } catch (NoSuchFileException e) {
            Path absolute = source.toAbsolutePath().normalize();
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file,
                            0,
                            0,
                            "",
                            "file not found (looked in " + absolute.getParent() + "). Check the path given with -f or"
                                    + " -C.")),
                    e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file, 0, 0, "", "permission denied. Make the file readable by the user running farm.")),
                    e);
        } catch (JacksonException e) {
            Mark mark = (yaml ? problemMark(file, e.getOriginalMessage()) : Optional.<Mark>empty())
                    .orElseGet(
                            () -> TreeReader.mark(file, e.getLocation() == null ? JsonLocation.NA : e.getLocation()));
            String what = yaml
                    ? "not valid YAML: " + yamlProblem(e.getOriginalMessage())
                            + ". Check the indentation and quoting on this line and the one before."
                    : "not valid JSON: " + firstLine(e.getOriginalMessage()) + ". Check the commas, quotes and"
                            + " brackets near here.";
            throw new ConfigException(List.of(new ConfigProblem(file, mark.line(), mark.column(), "", what)), e);
        } catch (IOException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(file, 0, 0, "", "cannot be read: " + e.getMessage() + ".")), e);
        }
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("syntax error").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    /**
     * The position of the problem itself: SnakeYAML's message names the context first and the problem last, while
     * Jackson's location is sometimes the context's.
     */
    static Optional<Mark> problemMark(Path file, String message) {
        Matcher matcher = YAML_MARK.matcher(message);
        Mark mark = null;
        while (matcher.find()) {
            mark = new Mark(file, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        }
        return Optional.ofNullable(mark);
    }

    /**
     * Turns SnakeYAML's message into one clause: its "problem" line (the last line that is not a location, snippet or
     * caret), reworded where the original is parser jargon.
     */
    static String yamlProblem(String message) {
        String problem = "syntax error";
        for (String line : (Iterable<String>) message.lines()::iterator) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()
                    && !line.startsWith(" ")
                    && !trimmed.startsWith("in 'reader'")
                    && !trimmed.equals("^")) {
                problem = trimmed;
            }
        }
        if (problem.startsWith("expected <block end>")) {
            return "this line is indented differently from the lines before it";
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            return "a ':' where a value was expected (quote values that contain ': ')";
        }
        if (problem.contains("'\\t'") || problem.contains("\\t(TAB)")) {
            return "a tab character; YAML indents with spaces only";
        }
        if (problem.endsWith(".")) {
            problem = problem.substring(0, problem.length() - 1);
        }
        return problem;
    }
}
