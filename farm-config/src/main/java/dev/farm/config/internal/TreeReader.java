package dev.farm.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.ListNode;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link Node} tree from a Jackson streaming parser, keeping each token's location. Duplicate keys are
 * reported to {@link Problems} (the first one wins), because YAML parsers silently keep the last.
 */
final class TreeReader {

    private final Path file;
    private final JsonParser parser;
    private final Problems problems;

    TreeReader(Path file, JsonParser parser, Problems problems) {
        this.file = file;
        this.parser = parser;
        this.problems = problems;
    }

    /** Returns the document's root, or empty for an empty document. A second document is reported, not read. */
    Optional<Node> read() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return Optional.empty();
        }
        Node root = value(token, "");
        if (parser.nextToken() != null) {
            problems.add(
                    mark(file, parser.currentTokenLocation()),
                    "",
                    "a second YAML document starts here (after '---'); farm reads only the first. Move its"
                            + " content into the first document, or remove the '---'.");
        }
        return Optional.of(root);
    }

    private Node value(JsonToken token, String path) throws IOException {
        Mark mark = mark(file, parser.currentTokenLocation());
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // Jackson hands an alias over as a string holding the anchor's name: reading on would use that name.
            problems.add(
                    mark,
                    path,
                    "YAML aliases (*" + parser.getText() + ") are not supported. Write the value out in full.");
            // Keep Jackson's string so a string-valued key reports nothing more than the alias itself.
            return new ScalarNode(mark, ScalarType.STRING, parser.getText());
        }
        return switch (token) {
            case START_OBJECT -> mapping(mark, path);
            case START_ARRAY -> sequence(mark, path);
            case VALUE_NUMBER_INT -> new ScalarNode(mark, ScalarType.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT -> new ScalarNode(mark, ScalarType.FLOAT, parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(mark, ScalarType.BOOLEAN, parser.getText());
            case VALUE_NULL -> new ScalarNode(mark, ScalarType.NULL, null);
            // Strings, and embedded objects (YAML binary) whose text the binder will reject by context.
            default -> new ScalarNode(mark, ScalarType.STRING, parser.getText());
        };
    }

    private MapNode mapping(Mark mark, String path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, Mark> seen = new HashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Mark keyMark = mark(file, parser.currentTokenLocation());
            String childPath = Paths.child(path, key);
            Node child = value(parser.nextToken(), childPath);
            Mark first = seen.putIfAbsent(key, keyMark);
            if (first != null) {
                problems.add(
                        keyMark,
                        childPath,
                        "duplicate key '" + key + "' (first defined at line " + first.line()
                                + "). Remove one of the two; farm uses the first.");
            } else {
                entries.add(new Entry(key, keyMark, child));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("unexpected token " + token + " in a mapping");
        }
        return new MapNode(mark, entries);
    }

    private ListNode sequence(Mark mark, String path) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new IllegalStateException("end of input in a list");
            }
            items.add(value(token, path + "[" + items.size() + "]"));
        }
        return new ListNode(mark, items);
    }

    static Mark mark(Path file, JsonLocation location) {
        return new Mark(file, Math.max(0, location.getLineNr()), Math.max(0, location.getColumnNr()));
    }
}
