package dev.farm.config.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A value in a configuration file together with where it starts, so every problem can name its line and column. */
sealed interface Node {

    /** A file and a 1-based line and column in it; line 0 when the value was made by farm (presets, discovery). */
    record Mark(Path file, int line, int column) {

        /** Where a value made by farm from something in this file stands: the file, without a line. */
        Mark synthetic() {
            return new Mark(file, 0, 0);
        }
    }

    Mark mark();

    /** Describes the value the way a message says what it found: {@code "80a"}, {@code 80}, {@code a list}. */
    String describe();

    /** A mapping, entries in file order. */
    record MapNode(Mark mark, List<Entry> entries) implements Node {

        public MapNode {
            entries = List.copyOf(entries);
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping and its value. */
    record Entry(String key, Mark keyMark, Node value) {}

    /** A sequence. */
    record ListNode(Mark mark, List<Node> items) implements Node {

        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** What YAML resolved a scalar to. */
    enum ScalarType {
        STRING,
        INTEGER,
        FLOAT,
        BOOLEAN,
        NULL
    }

    /** A single value; {@code text} is null only for {@link ScalarType#NULL}. */
    record ScalarNode(Mark mark, ScalarType type, @Nullable String text) implements Node {

        @Override
        public String describe() {
            return switch (type) {
                case STRING -> '"' + String.valueOf(text) + '"';
                case NULL -> "nothing (an empty value)";
                default -> String.valueOf(text);
            };
        }
    }
}
