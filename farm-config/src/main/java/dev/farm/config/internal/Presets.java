package dev.farm.config.internal;

import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Service presets: {@code preset: NAME} fills in what the service does not set itself. */
final class Presets {

    static final List<String> NAMES = List.of("ollama");

    private Presets() {}

    /** The keys the ollama preset gives a service, as a farm.yaml would write them. */
    static Map<String, Object> ollama() {
        Map<String, Object> preset = new LinkedHashMap<>();
        preset.put("command", "ollama serve");
        preset.put("port", 11434);
        preset.put("env", Map.of("OLLAMA_HOST", "127.0.0.1:${port}"));
        preset.put("ready", Map.of("http", "/api/tags"));
        Map<String, Object> alive = new LinkedHashMap<>();
        alive.put("http", "/api/tags");
        alive.put("every", "10s");
        preset.put("alive", alive);
        preset.put("adopt", true); // people often run the Ollama app already: use it, never stop it
        preset.put("optional", true); // without Ollama installed, the stack runs without local AI
        return preset;
    }

    /** Expands every service's preset in the services mapping; unknown presets are reported and left alone. */
    static MapNode apply(MapNode services, Problems problems) {
        List<Entry> expanded = new ArrayList<>();
        for (Entry entry : services.entries()) {
            expanded.add(new Entry(entry.key(), entry.keyMark(), expand(entry, problems)));
        }
        return new MapNode(services.mark(), expanded);
    }

    private static Node expand(Entry service, Problems problems) {
        if (!(service.value() instanceof MapNode map)) {
            return service.value();
        }
        Optional<Entry> preset = map.entry("preset");
        if (preset.isEmpty()) {
            return map;
        }
        String path = "services." + service.key() + ".preset";
        Node value = preset.get().value();
        if (!(value instanceof ScalarNode scalar) || scalar.type() != ScalarType.STRING) {
            problems.add(
                    value.mark(),
                    path,
                    "expected a preset name (" + String.join(", ", NAMES) + "), found " + value.describe() + ".");
            return map;
        }
        String name = String.valueOf(scalar.text());
        if (!name.equals("ollama")) {
            problems.add(
                    value.mark(),
                    path,
                    "no preset named '" + name + "'" + Suggestions.didYouMean(name, NAMES) + ". Known presets: "
                            + String.join(", ", NAMES) + ".");
            return map;
        }
        Mark mark = value.mark().synthetic();
        return Trees.underlay(map, (MapNode) Trees.fromPlain(
                ollama(),
                new Mark(mark.file(), value.mark().line(), value.mark().column())));
    }
}
