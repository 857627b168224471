package dev.farm.config.internal;

import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.ListNode;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Building and merging trees: what presets, profiles, discovery and the non-YAML formats have in common. */
final class Trees {

    private Trees() {}

    /** Turns plain data (maps, lists, strings, numbers, booleans, null) into a tree, every node at {@code mark}. */
    static Node fromPlain(@Nullable Object value, Mark mark) {
        if (value == null) {
            return new ScalarNode(mark, ScalarType.NULL, null);
        }
        if (value instanceof Map<?, ?> map) {
            List<Entry> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(new Entry(String.valueOf(k), mark, fromPlain(v, mark))));
            return new MapNode(mark, entries);
        }
        if (value instanceof List<?> list) {
            List<Node> items = new ArrayList<>();
            list.forEach(item -> items.add(fromPlain(item, mark)));
            return new ListNode(mark, items);
        }
        if (value instanceof Boolean) {
            return new ScalarNode(mark, ScalarType.BOOLEAN, value.toString());
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return new ScalarNode(mark, ScalarType.INTEGER, value.toString());
        }
        if (value instanceof Number) {
            return new ScalarNode(mark, ScalarType.FLOAT, value.toString());
        }
        return new ScalarNode(mark, ScalarType.STRING, value.toString());
    }

    /**
     * Merges {@code overlay} over {@code base}: mappings merge key by key, anything else in the overlay replaces what
     * the base has. Keys keep the base's order; new keys follow.
     */
    static MapNode merge(MapNode base, MapNode overlay) {
        Map<String, Entry> merged = new LinkedHashMap<>();
        base.entries().forEach(e -> merged.put(e.key(), e));
        for (Entry entry : overlay.entries()) {
            Entry existing = merged.get(entry.key());
            if (existing != null
                    && existing.value() instanceof MapNode baseMap
                    && entry.value() instanceof MapNode overlayMap) {
                merged.put(entry.key(), new Entry(entry.key(), existing.keyMark(), merge(baseMap, overlayMap)));
            } else {
                merged.put(entry.key(), entry);
            }
        }
        return new MapNode(base.mark(), new ArrayList<>(merged.values()));
    }

    /** Fills in what {@code node} lacks from {@code defaults}; {@code node}'s own keys win and keep their order. */
    static MapNode underlay(MapNode node, MapNode defaults) {
        MapNode merged = merge(defaults, node);
        List<Entry> ordered = new ArrayList<>(node.entries().size());
        for (Entry own : node.entries()) {
            merged.entry(own.key()).ifPresent(ordered::add);
        }
        for (Entry entry : merged.entries()) {
            if (node.entry(entry.key()).isEmpty()) {
                ordered.add(entry);
            }
        }
        return new MapNode(node.mark(), ordered);
    }

    /** Returns a copy of {@code map} with {@code key} set to {@code value}, in place if present, else at the end. */
    static MapNode with(MapNode map, String key, Node value) {
        List<Entry> entries = new ArrayList<>();
        boolean replaced = false;
        for (Entry entry : map.entries()) {
            if (entry.key().equals(key)) {
                entries.add(new Entry(key, entry.keyMark(), value));
                replaced = true;
            } else {
                entries.add(entry);
            }
        }
        if (!replaced) {
            entries.add(new Entry(key, value.mark(), value));
        }
        return new MapNode(map.mark(), entries);
    }

    /** Returns a copy of {@code map} without {@code key}. */
    static MapNode without(MapNode map, String key) {
        List<Entry> entries = new ArrayList<>(map.entries());
        entries.removeIf(e -> e.key().equals(key));
        return new MapNode(map.mark(), entries);
    }

    static ScalarNode string(Mark mark, String text) {
        return new ScalarNode(mark, ScalarType.STRING, text);
    }
}
