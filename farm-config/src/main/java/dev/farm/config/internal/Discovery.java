package dev.farm.config.internal;

import dev.farm.config.Command;
import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.ListNode;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code discover} rules: every subfolder of a rule's {@code dir} that holds a manifest becomes a service, built as a
 * tree so that it is validated and resolved like a service written in the file.
 */
final class Discovery {

    static final List<String> KEYS = List.of("dir", "manifest", "entry", "env", "heartbeat", "group", "depends_on");
    static final List<String> DEFAULT_MANIFESTS = List.of("fulcrum.yml", "farm.service.yaml");
    static final List<String> DEFAULT_ENTRIES = List.of("domain.ts", "domain.js");
    /** The keys farm reads from a Fulcrum manifest; Fulcrum's own keys are left to Fulcrum. */
    static final List<String> FULCRUM_KEYS = List.of("name", "env", "command", "port", "depends_on");

    private static final Pattern SCRIPT = Pattern.compile("\"(dev|start)\"\\s*:");
    private static volatile @Nullable Boolean stripTypes;

    private final Path directory;
    private final Problems problems;
    private final BooleanSupplier nodeStripsTypes;
    private final Map<String, Command> setups = new LinkedHashMap<>();
    /** The folders scanned so far, as real paths, and the rule that scanned each. */
    private final Map<Path, String> scanned = new LinkedHashMap<>();

    private boolean foundManifests;

    Discovery(Path directory, Problems problems, BooleanSupplier nodeStripsTypes) {
        this.directory = directory;
        this.problems = problems;
        this.nodeStripsTypes = nodeStripsTypes;
    }

    /** The setup command of each discovered service that needs one ({@code npm install}). */
    Map<String, Command> setups() {
        return setups;
    }

    /**
     * Whether any rule's folder held a manifest; when none became a service, each was reported on its own, so the
     * services mapping being empty is no news.
     */
    boolean foundManifests() {
        return foundManifests;
    }

    /** Returns the file with every rule's services added under {@code services}. */
    MapNode apply(MapNode top, ConfigBinder keys) {
        Optional<Entry> rules = top.entry("discover");
        if (rules.isEmpty()) {
            return top;
        }
        if (!(rules.get().value() instanceof ListNode list)) {
            problems.add(
                    rules.get().value().mark(),
                    "discover",
                    "expected a list of rules such as [{ dir: domains }]," + " found "
                            + rules.get().value().describe() + ".");
            return top;
        }
        Optional<MapNode> declared = top.entry("services")
                .map(Entry::value)
                .filter(MapNode.class::isInstance)
                .map(MapNode.class::cast);
        Map<String, Entry> services = new LinkedHashMap<>();
        declared.ifPresent(d -> d.entries().forEach(e -> services.put(e.key(), e)));
        Map<String, Mark> found = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node rule = list.items().get(i);
            String path = "discover[" + i + "]";
            if (!(rule instanceof MapNode map)) {
                problems.add(
                        rule.mark(), path, "expected a rule such as { dir: domains }, found " + rule.describe() + ".");
                continue;
            }
            keys.rejectUnknownKeys(map, path, KEYS);
            for (Entry service : scan(map, path)) {
                Entry existing = services.get(service.key());
                if (existing != null) {
                    Mark first = found.getOrDefault(service.key(), existing.keyMark());
                    problems.add(
                            service.keyMark(),
                            path,
                            "found a service named '" + service.key() + "', but " + first.file()
                                    + (first.line() > 0 ? " line " + first.line() : "")
                                    + " already has one. Rename the folder, or set another 'name' in its manifest.");
                    continue;
                }
                services.put(service.key(), service);
                found.put(service.key(), service.keyMark());
            }
        }
        Mark servicesMark = declared.map(MapNode::mark).orElse(top.mark());
        return Trees.with(top, "services", new MapNode(servicesMark, new ArrayList<>(services.values())));
    }

    private List<Entry> scan(MapNode rule, String path) {
        Optional<Entry> dirEntry = rule.entry("dir");
        if (dirEntry.isEmpty()) {
            problems.add(rule.mark(), path + ".dir", "missing. Name the folder to scan, such as 'domains'.");
            return List.of();
        }
        Optional<String> dirText = text(dirEntry.get().value(), path + ".dir");
        if (dirText.isEmpty()) {
            return List.of();
        }
        Path dir = directory.resolve(dirText.get()).normalize();
        if (!Files.isDirectory(dir)) {
            problems.add(
                    dirEntry.get().value().mark(),
                    path + ".dir",
                    "folder " + dir + " does not exist. Create it"
                            + " or fix the path (a relative path starts at the project folder).");
            return List.of();
        }
        String shownDir = shown(dir);
        String earlier = scanned.putIfAbsent(realPath(dir), path);
        if (earlier != null) {
            problems.add(
                    dirEntry.get().value().mark(),
                    "",
                    path + " scans the same folder as " + earlier + " (" + shownDir
                            + "). Remove one of the two rules.");
            return List.of();
        }
        List<String> manifests = names(rule, "manifest", path, DEFAULT_MANIFESTS);
        List<String> entries = names(rule, "entry", path, DEFAULT_ENTRIES);
        Mark ruleMark = rule.mark();
        String group = rule.entry("group")
                .flatMap(e -> text(e.value(), path + ".group"))
                .orElse(String.valueOf(dir.getFileName()));
        List<Path> folders;
        try (Stream<Path> children = Files.list(dir)) {
            folders = children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            problems.add(dirEntry.get().value().mark(), path + ".dir", "cannot list " + dir + ": " + e + ".");
            return List.of();
        }
        List<Entry> services = new ArrayList<>();
        boolean found = false;
        for (Path folder : folders) {
            Optional<Path> manifest = manifests.stream()
                    .map(folder::resolve)
                    .filter(Files::isRegularFile)
                    .findFirst();
            if (manifest.isPresent()) {
                found = true;
                service(rule, ruleMark, group, folder, manifest.get(), entries).ifPresent(services::add);
            }
        }
        if (found) {
            foundManifests = true;
        } else {
            problems.add(
                    ruleMark,
                    "",
                    path + " found no folder under " + (shownDir.endsWith("/") ? shownDir : shownDir + "/")
                            + " holding " + or(manifests) + ". Add one, or fix 'dir' or 'manifest'.");
        }
        return services;
    }

    /** A folder as the user would write it in farm.yaml: relative to the project folder where it is inside it. */
    private String shown(Path dir) {
        if (!dir.startsWith(directory)) {
            return dir.toString();
        }
        String relative = directory.relativize(dir).toString();
        return relative.isEmpty() ? "." : relative;
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    private static String or(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private Optional<Entry> service(
            MapNode rule, Mark ruleMark, String group, Path folder, Path manifest, List<String> entries) {
        Path shown = directory.relativize(manifest);
        boolean fulcrum = manifest.getFileName().toString().startsWith("fulcrum.");
        Optional<Node> tree = TreeFormat.parse(manifest, shown, TreeFormat.YAML, problems);
        Mark fileMark = new Mark(shown, 0, 0);
        MapNode body = new MapNode(fileMark, List.of());
        if (tree.isPresent()) {
            if (!(tree.get() instanceof MapNode map)) {
                problems.add(
                        tree.get().mark(),
                        "",
                        "expected a mapping, found " + tree.get().describe()
                                + ". Write the manifest as a mapping such as name: users.");
                return Optional.empty();
            }
            body = fulcrum
                    ? new MapNode(
                            map.mark(),
                            map.entries().stream()
                                    .filter(e -> FULCRUM_KEYS.contains(e.key()))
                                    .toList())
                    : map;
        }
        String name = String.valueOf(folder.getFileName());
        Mark nameMark = fileMark;
        boolean named = false;
        Optional<Entry> nameEntry = body.entry("name");
        if (nameEntry.isPresent()) {
            Node value = nameEntry.get().value();
            if (value instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
                name = String.valueOf(scalar.text());
                nameMark = value.mark();
                named = true;
            } else {
                problems.add(value.mark(), "name", "expected the service's name, found " + value.describe() + ".");
            }
            body = Trees.without(body, "name");
        }
        if (!ConfigBinder.SERVICE_NAME.matcher(name).matches()) {
            String valid = "a service name uses letters, digits, '.', '_' and '-', and starts with a letter or digit.";
            if (!named) {
                problems.add(
                        fileMark,
                        "",
                        "the folder name '" + name + "' cannot be a service name: " + valid
                                + " Rename the folder, or set 'name' in its manifest.");
            } else {
                problems.add(
                        nameMark, "name", "'" + name + "' cannot be a service name: " + valid + " Set another 'name'.");
            }
            return Optional.empty();
        }

        MapNode service = new MapNode(fileMark, List.of());
        if (body.entry("command").isEmpty()) {
            Optional<String> command = entryCommand(folder, entries);
            if (command.isEmpty()) {
                problems.add(
                        fileMark,
                        "",
                        "no way to run service '" + name + "': none of " + String.join(", ", entries) + " is in "
                                + folder
                                + (Files.isRegularFile(folder.resolve("package.json"))
                                        ? ", and package.json has no dev or start script"
                                        : ", and it has no package.json")
                                + ". Add an entry file or a dev script, or set 'command' in the manifest.");
                return Optional.empty();
            }
            service = Trees.with(service, "command", Trees.string(fileMark, command.get()));
        }
        service = Trees.with(service, "cwd", Trees.string(fileMark, folder.toString()));
        service = Trees.with(service, "group", Trees.string(ruleMark, group));
        Optional<Entry> heartbeat = rule.entry("heartbeat");
        if (heartbeat.isPresent() && body.entry("alive").isEmpty()) { // a manifest's own probe replaces it, unmerged
            MapNode alive = new MapNode(
                    heartbeat.get().keyMark(),
                    List.of(new Entry(
                            "heartbeat",
                            heartbeat.get().keyMark(),
                            heartbeat.get().value())));
            service = Trees.with(service, "alive", alive);
        }
        for (String inherited : List.of("env", "depends_on")) {
            Optional<Entry> fromRule = rule.entry(inherited);
            if (fromRule.isPresent()) {
                service = Trees.with(service, inherited, fromRule.get().value());
            }
        }
        Optional<Entry> ruleDependsOn = rule.entry("depends_on");
        Optional<Entry> ownDependsOn = body.entry("depends_on");
        Optional<MapNode> dependsOn = ruleDependsOn.isPresent() && ownDependsOn.isPresent()
                ? union(ruleDependsOn.get().value(), ownDependsOn.get().value())
                : Optional.empty();
        if (dependsOn.isPresent()) {
            service = Trees.without(service, "depends_on");
            body = Trees.with(body, "depends_on", dependsOn.get());
        }
        service = Trees.merge(service, body);
        if (Files.isRegularFile(folder.resolve("package.json")) && !Files.isDirectory(folder.resolve("node_modules"))) {
            setups.put(name, new Command.Exec(List.of("npm", "install")));
        }
        return Optional.of(new Entry(name, nameMark, service));
    }

    /**
     * The rule's {@code depends_on} and the manifest's, as one mapping: every name of both, with the manifest's
     * condition where both name it. Each may be a mapping or a list of names (each {@code ready}); when either is
     * neither, it is left for the binder to report, and the manifest's replaces the rule's.
     */
    private static Optional<MapNode> union(Node fromRule, Node own) {
        Optional<MapNode> base = asMapping(fromRule);
        Optional<MapNode> overlay = asMapping(own);
        if (base.isEmpty() || overlay.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        base.get().entries().forEach(e -> entries.put(e.key(), e));
        overlay.get().entries().forEach(e -> entries.put(e.key(), e));
        return Optional.of(new MapNode(own.mark(), new ArrayList<>(entries.values())));
    }

    /** A {@code depends_on} as a mapping: a list of names becomes each name mapped to {@code ready}. */
    private static Optional<MapNode> asMapping(Node dependsOn) {
        if (dependsOn instanceof MapNode map) {
            return Optional.of(map);
        }
        if (!(dependsOn instanceof ListNode list)) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (Node item : list.items()) {
            if (!(item instanceof ScalarNode scalar) || scalar.type() != ScalarType.STRING || scalar.text() == null) {
                return Optional.empty();
            }
            entries.add(new Entry(scalar.text(), item.mark(), Trees.string(item.mark(), "ready")));
        }
        return Optional.of(new MapNode(list.mark(), entries));
    }

    /** The command that runs a folder's entry point, first found wins. */
    Optional<String> entryCommand(Path folder, List<String> entries) {
        for (String entry : entries) {
            if (!Files.isRegularFile(folder.resolve(entry))) {
                continue;
            }
            if (entry.endsWith(".ts") || entry.endsWith(".mts")) {
                return Optional.of(
                        nodeStripsTypes.getAsBoolean()
                                ? "node --experimental-strip-types " + entry
                                : "npx tsx " + entry);
            }
            return Optional.of("node " + entry);
        }
        Path packageJson = folder.resolve("package.json");
        if (Files.isRegularFile(packageJson)) {
            try {
                String json = Files.readString(packageJson, StandardCharsets.UTF_8);
                int scripts = json.indexOf("\"scripts\"");
                if (scripts >= 0) {
                    Matcher matcher = SCRIPT.matcher(json.substring(scripts));
                    List<String> found = new ArrayList<>();
                    while (matcher.find()) {
                        found.add(matcher.group(1));
                    }
                    if (found.contains("dev")) {
                        return Optional.of("npm run dev");
                    }
                    if (found.contains("start")) {
                        return Optional.of("npm run start");
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private List<String> names(MapNode rule, String key, String path, List<String> defaults) {
        Optional<Entry> entry = rule.entry(key);
        if (entry.isEmpty()) {
            return defaults;
        }
        Node value = entry.get().value();
        List<Node> items = value instanceof ListNode list ? list.items() : List.of(value);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "." + key + (value instanceof ListNode ? "[" + i + "]" : "");
            Optional<String> name = text(items.get(i), itemPath);
            if (name.isPresent() && (name.get().isEmpty() || name.get().contains("/"))) {
                problems.add(
                        items.get(i).mark(),
                        itemPath,
                        "expected a file name (no folder), found "
                                + items.get(i).describe() + ".");
            } else {
                name.ifPresent(names::add);
            }
        }
        return names.isEmpty() ? defaults : names;
    }

    private Optional<String> text(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            return Optional.ofNullable(scalar.text());
        }
        problems.add(node.mark(), path, "expected a string, found " + node.describe() + ".");
        return Optional.empty();
    }

    /** Whether the machine's node runs TypeScript itself (22.6 or newer); asked once per JVM. */
    static boolean nodeStripsTypes() {
        Boolean known = stripTypes;
        if (known == null) {
            known = detectStripTypes();
            stripTypes = known;
        }
        return known;
    }

    private static boolean detectStripTypes() {
        try {
            Process process = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return false;
            }
            return supportsStripTypes(version);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a {@code node --version} answer such as {@code v22.6.0} has {@code --experimental-strip-types}. */
    static boolean supportsStripTypes(String version) {
        Matcher matcher = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(version);
        if (!matcher.find()) {
            return false;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major > 22 || (major == 22 && minor >= 6);
    }
}
