package dev.farm.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.farm.config.Command;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.DependencyCondition;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.ListNode;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one {@code farm.yaml}: parses it into a located tree, binds the tree to {@link FarmConfig} while collecting
 * every problem, then checks what spans services (dependencies, cycles).
 */
public final class YamlConfigReader {

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private static final List<String> TOP_KEYS = List.of("name", "services");
    private static final List<String> SERVICE_KEYS = List.of("command", "cwd", "env", "port", "ready", "depends_on");
    private static final List<String> READY_KEYS = List.of("tcp", "http", "timeout");
    private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+):");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path file;
    private final Path directory;
    private final Problems problems;

    /**
     * Creates a reader for one file; nothing is read yet.
     *
     * @param file the file, as the user named it
     */
    public YamlConfigReader(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().normalize().getParent();
        this.directory = parent != null ? parent : file.toAbsolutePath();
        this.problems = new Problems(file);
    }

    /**
     * Reads, binds and validates the file.
     *
     * @return the configuration
     * @throws ConfigException listing every problem found
     */
    public FarmConfig read() {
        Optional<Node> root = parse();
        if (root.isEmpty()) {
            problems.addForFile("the file is empty. Declare at least one service under 'services:'"
                    + " (examples/hello/farm.yaml shows the shape).");
            problems.throwIfAny();
        }
        FarmConfig config = bind(root.orElseThrow());
        problems.throwIfAny();
        return config;
    }

    private Optional<Node> parse() {
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = YAML.createParser(in)) {
            return new TreeReader(parser, problems).read();
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file,
                            0,
                            0,
                            "",
                            "file not found (looked in " + directory + "). Check the path given with -f or -C.")),
                    e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file, 0, 0, "", "permission denied. Make the file readable by the user running farm.")),
                    e);
        } catch (JacksonException e) {
            Mark mark = problemMark(e.getOriginalMessage())
                    .orElseGet(() -> TreeReader.mark(e.getLocation() == null ? JsonLocation.NA : e.getLocation()));
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file,
                            mark.line(),
                            mark.column(),
                            "",
                            "not valid YAML: " + yamlProblem(e.getOriginalMessage())
                                    + ". Check the indentation and quoting on this line and the one before.")),
                    e);
        } catch (IOException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(file, 0, 0, "", "cannot be read: " + e.getMessage() + ".")), e);
        }
    }

    private FarmConfig bind(Node root) {
        if (!(root instanceof MapNode top)) {
            problems.add(
                    root.mark(),
                    "",
                    "expected a mapping with a 'services' key at the top of the file, found " + root.describe()
                            + ". Start the file with 'services:'.");
            return emptyConfig();
        }
        rejectUnknownKeys(top, "", TOP_KEYS);
        String name = top.entry("name")
                .flatMap(e -> string(e.value(), "name"))
                .orElseGet(() -> String.valueOf(directory.getFileName()));
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        Map<String, Map<String, Mark>> dependencyMarks = new HashMap<>();
        Optional<Entry> servicesEntry = top.entry("services");
        boolean misspelled = top.entries().stream()
                .anyMatch(e -> Suggestions.nearest(e.key(), TOP_KEYS)
                                .filter("services"::equals)
                                .isPresent()
                        && !e.key().equals("services"));
        if (servicesEntry.isEmpty()) {
            if (!misspelled) { // a misspelling was reported already, with "did you mean 'services'"
                problems.add(
                        top.mark(),
                        "services",
                        "missing. Declare the services to run, for example 'services: { api: { command: ... } }'.");
            }
        } else if (!(servicesEntry.get().value() instanceof MapNode serviceMap)) {
            Node value = servicesEntry.get().value();
            problems.add(
                    value.mark(),
                    "services",
                    "expected a mapping of service names to services, found " + value.describe() + ".");
        } else {
            if (serviceMap.entries().isEmpty()) {
                problems.add(serviceMap.mark(), "services", "no services declared. Declare at least one.");
            }
            for (Entry entry : serviceMap.entries()) {
                Map<String, Mark> marks = new LinkedHashMap<>();
                service(entry, marks).ifPresent(service -> services.put(service.name(), service));
                dependencyMarks.put(entry.key(), marks);
            }
            checkDependencies(serviceMap, services, dependencyMarks);
        }
        return new FarmConfig(name, directory, file, services);
    }

    private FarmConfig emptyConfig() {
        return new FarmConfig(String.valueOf(directory.getFileName()), directory, file, Map.of());
    }

    private Optional<ServiceConfig> service(Entry entry, Map<String, Mark> dependencyMarks) {
        String name = entry.key();
        String path = "services." + name;
        boolean valid = true;
        if (!SERVICE_NAME.matcher(name).matches()) {
            problems.add(
                    entry.keyMark(),
                    path,
                    "a service name uses letters, digits, '.', '_' and '-', and starts with a letter or digit."
                            + " Rename the service.");
            valid = false;
        }
        if (!(entry.value() instanceof MapNode map)) {
            problems.add(
                    entry.value().mark(),
                    path,
                    "expected a mapping with at least 'command', found "
                            + entry.value().describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, path, SERVICE_KEYS);

        Optional<Command> command = map.entry("command").flatMap(e -> command(e.value(), path + ".command"));
        if (map.entry("command").isEmpty()) {
            problems.add(
                    entry.keyMark(),
                    path + ".command",
                    "missing. Say what to run, as a string (run by /bin/sh -c) or a list (run directly).");
        }
        Path cwd = map.entry("cwd")
                .flatMap(e -> directory(e.value(), path + ".cwd"))
                .orElse(directory);
        Map<String, String> env =
                map.entry("env").map(e -> environment(e.value(), path + ".env")).orElse(Map.of());
        OptionalInt port =
                map.entry("port").map(e -> port(e.value(), path + ".port")).orElse(OptionalInt.empty());
        Optional<ProbeConfig> ready = map.entry("ready").flatMap(e -> ready(e.value(), path + ".ready", port));
        Map<String, DependencyCondition> dependsOn = map.entry("depends_on")
                .map(e -> dependencies(e.value(), path + ".depends_on", dependencyMarks))
                .orElse(Map.of());

        if (!valid || command.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceConfig(name, command.get(), cwd, env, port, ready, dependsOn));
    }

    private Optional<Command> command(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            String script = scalar.text();
            if (script == null || script.isBlank()) {
                problems.add(node.mark(), path, "empty. Say what to run.");
                return Optional.empty();
            }
            return Optional.of(new Command.Shell(script));
        }
        if (node instanceof ListNode list) {
            if (list.items().isEmpty()) {
                problems.add(
                        node.mark(), path, "empty list. Give the program and its arguments, such as [java, Api.java].");
                return Optional.empty();
            }
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                Optional<String> arg = scalarText(item, path + "[" + i + "]", "an argument (a string)");
                if (arg.isEmpty()) {
                    return Optional.empty();
                }
                argv.add(arg.get());
            }
            return Optional.of(new Command.Exec(argv));
        }
        problems.add(
                node.mark(),
                path,
                "expected a string (run by /bin/sh -c) or a list of arguments (run directly), found " + node.describe()
                        + ".");
        return Optional.empty();
    }

    private Optional<Path> directory(Node node, String path) {
        return string(node, path).flatMap(text -> {
            Path resolved = directory.resolve(text).normalize();
            if (!Files.isDirectory(resolved)) {
                problems.add(
                        node.mark(),
                        path,
                        "folder " + resolved + " does not exist. Create it or fix the path"
                                + " (a relative path starts at the project folder).");
                return Optional.empty();
            }
            return Optional.of(resolved);
        });
    }

    private Map<String, String> environment(Node node, String path) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a mapping of variable names to values, such as { LOG_LEVEL: debug }, found "
                            + node.describe() + ".");
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Entry entry : map.entries()) {
            String entryPath = Paths.child(path, entry.key());
            if (entry.key().isEmpty()
                    || entry.key().indexOf('=') >= 0
                    || entry.key().indexOf('\0') >= 0) {
                problems.add(
                        entry.keyMark(),
                        entryPath,
                        "not a valid variable name: it is empty or holds '=' or a NUL character. Rename it.");
                continue;
            }
            scalarText(entry.value(), entryPath, "a value (a string, number or boolean)")
                    .ifPresent(value -> {
                        if (value.indexOf('\0') >= 0) {
                            problems.add(
                                    entry.value().mark(),
                                    entryPath,
                                    "the value holds a NUL character, which no environment can carry. Remove it.");
                        } else {
                            env.put(entry.key(), value);
                        }
                    });
        }
        return env;
    }

    private OptionalInt port(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.INTEGER) {
            String text = String.valueOf(scalar.text());
            try {
                int port = Integer.parseInt(text);
                if (port >= 1 && port <= 65535) {
                    return OptionalInt.of(port);
                }
            } catch (NumberFormatException e) {
                // out of int range: reported below
            }
        }
        problems.add(
                node.mark(),
                path,
                "expected an integer 1-65535, found " + node.describe() + ". Fix the value, or remove the key if"
                        + " the service listens on no port.");
        return OptionalInt.empty();
    }

    private Optional<ProbeConfig> ready(Node node, String path, OptionalInt servicePort) {
        if (!(node instanceof MapNode map)) {
            problems.add(node.mark(), path, "expected { tcp: PORT } or { http: PATH }, found " + node.describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, path, READY_KEYS);
        Duration timeout = map.entry("timeout")
                .flatMap(e -> duration(e.value(), path + ".timeout"))
                .orElse(ProbeConfig.DEFAULT_TIMEOUT);
        Optional<Entry> tcp = map.entry("tcp");
        Optional<Entry> http = map.entry("http");
        if (tcp.isPresent() && http.isPresent()) {
            problems.add(
                    http.get().keyMark(),
                    path,
                    "has both 'tcp' and 'http'. Keep one: http when the service answers HTTP, tcp otherwise.");
            return Optional.empty();
        }
        if (tcp.isPresent()) {
            OptionalInt port = port(tcp.get().value(), path + ".tcp");
            return port.isPresent() ? Optional.of(new ProbeConfig.Tcp(port.getAsInt(), timeout)) : Optional.empty();
        }
        if (http.isPresent()) {
            Node value = http.get().value();
            Optional<String> target = string(value, path + ".http");
            if (target.isEmpty()) {
                return Optional.empty();
            }
            if (!target.get().startsWith("/")) {
                problems.add(
                        value.mark(),
                        path + ".http",
                        "expected a path starting with '/', such as /health, found " + value.describe() + ".");
                return Optional.empty();
            }
            if (servicePort.isEmpty()) {
                problems.add(
                        http.get().keyMark(),
                        path + ".http",
                        "farm needs the service's port to send this request. Add 'port: PORT' to the service.");
                return Optional.empty();
            }
            return Optional.of(new ProbeConfig.Http(target.get(), timeout));
        }
        problems.add(map.mark(), path, "says neither 'tcp: PORT' nor 'http: PATH'. Add one of them.");
        return Optional.empty();
    }

    private Map<String, DependencyCondition> dependencies(Node node, String path, Map<String, Mark> marks) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a mapping of service names to conditions, such as { db: ready }, found " + node.describe()
                            + ".");
            return Map.of();
        }
        List<String> keywords = Arrays.stream(DependencyCondition.values())
                .map(DependencyCondition::keyword)
                .collect(Collectors.toList());
        Map<String, DependencyCondition> dependencies = new LinkedHashMap<>();
        for (Entry entry : map.entries()) {
            String entryPath = Paths.child(path, entry.key());
            Optional<String> word = string(entry.value(), entryPath);
            if (word.isEmpty()) {
                continue;
            }
            Optional<DependencyCondition> condition = Arrays.stream(DependencyCondition.values())
                    .filter(c -> c.keyword().equals(word.get()))
                    .findFirst();
            if (condition.isEmpty()) {
                problems.add(
                        entry.value().mark(),
                        entryPath,
                        "expected one of " + String.join(", ", keywords) + ", found "
                                + entry.value().describe() + didYouMean(word.get(), keywords) + ".");
                continue;
            }
            dependencies.put(entry.key(), condition.get());
            marks.put(entry.key(), entry.keyMark());
        }
        return dependencies;
    }

    /** Unknown services in depends_on, and dependency cycles: both need every service read first. */
    private void checkDependencies(
            MapNode serviceMap, Map<String, ServiceConfig> services, Map<String, Map<String, Mark>> marks) {
        List<String> declared = serviceMap.entries().stream().map(Entry::key).collect(Collectors.toList());
        for (ServiceConfig service : services.values()) {
            for (String dependency : service.dependsOn().keySet()) {
                Mark mark = marks.get(service.name()).get(dependency);
                String path = "services." + service.name() + ".depends_on." + dependency;
                if (dependency.equals(service.name())) {
                    problems.add(mark, path, "a service cannot depend on itself. Remove this dependency.");
                } else if (!declared.contains(dependency)) {
                    problems.add(
                            mark,
                            path,
                            "no service named '" + dependency + "'" + didYouMean(dependency, declared)
                                    + ". Declare it under 'services', or remove this dependency.");
                }
            }
        }
        findCycle(services).ifPresent(cycle -> {
            String from = cycle.get(0);
            String to = cycle.get(1);
            problems.add(
                    marks.get(from).get(to),
                    "services." + from + ".depends_on." + to,
                    "dependency cycle " + String.join(" → ", cycle)
                            + ". Remove one of these dependencies so the services can start in order.");
        });
    }

    /** Returns one cycle as its path of names, first name repeated at the end, or empty when there is none. */
    static Optional<List<String>> findCycle(Map<String, ServiceConfig> services) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the stack, 2: done
        for (String start : services.keySet()) {
            List<String> stack = new ArrayList<>();
            Optional<List<String>> cycle = visit(start, services, state, stack);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(
            String name, Map<String, ServiceConfig> services, Map<String, Integer> state, List<String> stack) {
        Integer seen = state.get(name);
        if (seen != null && seen == 2) {
            return Optional.empty();
        }
        if (seen != null && seen == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
            cycle.add(name);
            return Optional.of(cycle);
        }
        ServiceConfig service = services.get(name);
        if (service == null) {
            return Optional.empty();
        }
        state.put(name, 1);
        stack.add(name);
        for (String dependency : service.dependsOn().keySet()) {
            if (dependency.equals(name)) {
                continue; // reported on its own
            }
            Optional<List<String>> cycle = visit(dependency, services, state, stack);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(name, 2);
        return Optional.empty();
    }

    private Optional<Duration> duration(Node node, String path) {
        Optional<Duration> parsed = node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING
                ? Durations.parse(String.valueOf(scalar.text()))
                : Optional.empty();
        if (parsed.isEmpty() || parsed.get().isZero()) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a duration such as 500ms, 30s or 2m, found " + node.describe() + ". Add the unit.");
            return Optional.empty();
        }
        return parsed;
    }

    private Optional<String> string(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            return Optional.ofNullable(scalar.text());
        }
        problems.add(node.mark(), path, "expected a string, found " + node.describe() + ".");
        return Optional.empty();
    }

    /** A string, number or boolean, as text: environment values and arguments may be written unquoted. */
    private Optional<String> scalarText(Node node, String path, String expected) {
        if (node instanceof ScalarNode scalar && scalar.type() != ScalarType.NULL) {
            return Optional.ofNullable(scalar.text());
        }
        problems.add(node.mark(), path, "expected " + expected + ", found " + node.describe() + ".");
        return Optional.empty();
    }

    private void rejectUnknownKeys(MapNode map, String path, List<String> known) {
        for (Entry entry : map.entries()) {
            if (!known.contains(entry.key())) {
                String suggestion = Suggestions.nearest(entry.key(), known)
                        .map(s -> " Did you mean '" + s + "'?")
                        .orElse(" Known keys here: " + String.join(", ", known) + ".");
                problems.add(
                        entry.keyMark(),
                        Paths.child(path, entry.key()),
                        "unknown key '" + entry.key() + "'." + suggestion);
            }
        }
    }

    private static String didYouMean(String typed, List<String> known) {
        return Suggestions.nearest(typed, known)
                .map(s -> " (did you mean '" + s + "'?)")
                .orElse("");
    }

    /**
     * The position of the problem itself: SnakeYAML's message names the context first and the problem last, while
     * Jackson's location is sometimes the context's.
     */
    static Optional<Mark> problemMark(String message) {
        Matcher matcher = YAML_MARK.matcher(message);
        Mark mark = null;
        while (matcher.find()) {
            mark = new Mark(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
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
