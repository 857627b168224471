package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code ${...}} references and environments, lazily and once each, so that variables, ports and env files
 * may refer to each other in any order while cycles and undefined names are reported with the chain that led to
 * them.
 *
 * <p>A scope is where a string is resolved: a service (its environment layers, {@code ${port}}, {@code ${name}}) or
 * the project. Each scope is built from layer sources (variables written in the file, or env files read when the
 * scope is built), so {@link #reload(String)} can read the env files again at a restart.
 */
final class Resolver {

    /**
     * A name, then an optional operator and its argument. A name is a variable (no {@code -}, so {@code ${VAR-x}}
     * is VAR with a default) or dotted ({@code project.dir}, {@code services.NAME.port}, where NAME may hold
     * {@code -}).
     */
    private static final Pattern REFERENCE =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_-]+)*)(?:(:-|-|:\\?|\\?)(.*))?", Pattern.DOTALL);

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One definition of a variable: its raw text, whether {@code ${...}} in it is expanded, and where it stands. */
    record RawVar(String key, String value, boolean interpolate, Mark mark, String path) {}

    /** Where a layer of variables comes from: written in the file, or an env file read each time. */
    sealed interface LayerSource {}

    /** Variables written in the configuration, already checked. */
    record Fixed(List<RawVar> vars) implements LayerSource {}

    /** An env file, read each time the scope is built. */
    record EnvFile(Path file, boolean required, Mark mark, String path) implements LayerSource {}

    /** What a scope is made of: {@code service} null for the project. */
    record ScopeSpec(@Nullable String service, String id, List<LayerSource> layers) {}

    private final String projectName;
    private final Path projectDirectory;
    private final Map<String, String> processEnvironment;
    private final IntSupplier portAllocator;
    private final Problems problems;
    private final Map<String, Node> portNodes;
    private final Map<String, OptionalInt> ports;
    private final Set<String> autoPorts;
    private final Map<String, ScopeSpec> specs = new LinkedHashMap<>();
    private final Map<String, Scope> scopes = new HashMap<>();
    private final List<Frame> stack = new ArrayList<>();
    private final List<String> serviceNames = new ArrayList<>();
    /** The project folder as the user named it (the config file's folder as given), for paths in messages. */
    private Path shownBase = Path.of("");

    /** A variable (or port) being resolved: which definition of which key in which scope. */
    private record Frame(String scopeId, String key, int index) {}

    Resolver(
            String projectName,
            Path projectDirectory,
            Map<String, String> processEnvironment,
            IntSupplier portAllocator,
            Problems problems,
            Map<String, Node> portNodes) {
        this(
                projectName,
                projectDirectory,
                processEnvironment,
                portAllocator,
                problems,
                portNodes,
                new HashMap<>(),
                new java.util.HashSet<>());
    }

    private Resolver(
            String projectName,
            Path projectDirectory,
            Map<String, String> processEnvironment,
            IntSupplier portAllocator,
            Problems problems,
            Map<String, Node> portNodes,
            Map<String, OptionalInt> ports,
            Set<String> autoPorts) {
        this.projectName = projectName;
        this.projectDirectory = projectDirectory;
        this.processEnvironment = processEnvironment;
        this.portAllocator = portAllocator;
        this.problems = problems;
        this.portNodes = portNodes;
        this.ports = ports;
        this.autoPorts = autoPorts;
    }

    /** Declares a scope; it is built (its env files read) on first use. */
    void declare(ScopeSpec spec) {
        specs.put(spec.id(), spec);
    }

    boolean isAutoPort(String service) {
        return autoPorts.contains(service);
    }

    // ---------------------------------------------------------------- strings

    /**
     * Expands every reference in a string value of the scope; problems are reported at {@code mark}, and what could
     * not be resolved becomes empty text.
     */
    String expand(String text, String scopeId, Mark mark, String path) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        return expand(text, scope(scopeId), mark, path, true);
    }

    /**
     * Returns the node with references expanded: a string that held {@code ${...}} and now reads as a whole number
     * or a boolean takes that type, so {@code port: ${API_PORT}} binds like {@code port: 8000}.
     */
    Node resolve(Node node, String scopeId, String path) {
        if (!(node instanceof ScalarNode scalar)
                || scalar.type() != ScalarType.STRING
                || scalar.text() == null
                || scalar.text().indexOf('$') < 0) {
            return node;
        }
        String text = scalar.text();
        String expanded = expand(text, scopeId, node.mark(), path);
        if (!text.contains("${")) {
            return new ScalarNode(node.mark(), ScalarType.STRING, expanded);
        }
        ScalarType type = ScalarType.STRING;
        if (expanded.matches("-?\\d{1,18}")) {
            type = ScalarType.INTEGER;
        } else if (expanded.equals("true") || expanded.equals("false")) {
            type = ScalarType.BOOLEAN;
        }
        return new ScalarNode(node.mark(), type, expanded);
    }

    /**
     * Returns the node with references expanded for a value of some type, or empty when a reference in it was wrong:
     * that is reported already, and what is left of the text (often "") is not worth a second message.
     */
    Optional<Node> resolveForType(Node node, String scopeId, String path) {
        int before = problems.found();
        Node resolved = resolve(node, scopeId, path);
        return problems.found() > before ? Optional.empty() : Optional.of(resolved);
    }

    private String expand(String text, Scope scope, Mark mark, String path, boolean interpolate) {
        if (!interpolate) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    problems.add(
                            mark,
                            path,
                            "'${' without a closing '}' in \"" + text + "\". Close the reference, or write '$$' for a"
                                    + " literal '$'.");
                    return out.append(text, i, text.length()).toString();
                }
                out.append(reference(text.substring(i + 2, end), scope, mark, path));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingBrace(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private String reference(String body, Scope scope, Mark mark, String path) {
        Matcher matcher = REFERENCE.matcher(body);
        if (!matcher.matches()) {
            problems.add(
                    mark,
                    path,
                    "'${" + body + "}' is not a reference farm knows: write ${VAR}, ${VAR:-default}, ${port}, ${name}"
                            + " or ${services.NAME.port}, or '$$' for a literal '$'.");
            return "";
        }
        String name = matcher.group(1);
        String operator = matcher.group(2);
        Optional<String> value = lookup(name, scope, mark, path);
        if (operator == null) {
            if (value.isEmpty()) {
                problems.add(mark, path, undefined(name));
                return "";
            }
            return value.get();
        }
        String argument = matcher.group(3);
        boolean emptyCounts = operator.startsWith(":");
        boolean missing = value.isEmpty() || (emptyCounts && value.get().isEmpty());
        if (!missing) {
            return value.get();
        }
        if (operator.endsWith("?")) {
            problems.add(
                    mark,
                    path,
                    "${" + name + "} is " + (value.isEmpty() ? "not set" : "empty") + ": "
                            + (argument.isEmpty() ? "it is required" : argument) + ".");
            return "";
        }
        return expand(argument, scope, mark, path, true);
    }

    private String undefined(String name) {
        String via = stack.isEmpty() ? "" : " (needed by " + String.join(" → ", chainNames()) + ")";
        // Not naming the service: a project variable's mistake is the same for every service, and said once.
        return "${" + name + "} is not defined" + via + ". Set it in 'env' or an env file, export it before running"
                + " farm, or give a default: ${" + name + ":-VALUE}.";
    }

    private List<String> chainNames() {
        List<String> names = new ArrayList<>();
        for (Frame frame : stack) {
            names.add(frame.key());
        }
        return names;
    }

    private Optional<String> lookup(String name, Scope scope, Mark mark, String path) {
        switch (name) {
            case "port" -> {
                if (scope.service == null) {
                    problems.add(
                            mark,
                            path,
                            "${port} means a service's own port; here there is no service. Use"
                                    + " ${services.NAME.port}.");
                    return Optional.of("");
                }
                return Optional.of(portText(scope.service, mark, path));
            }
            case "name" -> {
                return Optional.of(scope.service == null ? projectName : scope.service);
            }
            case "project.dir" -> {
                return Optional.of(projectDirectory.toString());
            }
            default -> {
                // handled below
            }
        }
        if (name.startsWith("services.") && name.endsWith(".port") && name.length() > "services..port".length()) {
            String service = name.substring("services.".length(), name.length() - ".port".length());
            if (!serviceNames().contains(service)) {
                problems.add(
                        mark,
                        path,
                        "${" + name + "} names no service: there is no service '" + service + "'"
                                + Suggestions.didYouMean(service, serviceNames()) + ". Name a service under"
                                + " 'services'.");
                return Optional.of("");
            }
            return Optional.of(portText(service, mark, path));
        }
        if (!VARIABLE_NAME.matcher(name).matches()) {
            problems.add(
                    mark,
                    path,
                    "'${" + name + "}' is not a reference farm knows: variables are letters, digits and '_'; the"
                            + " others are ${port}, ${name}, ${project.dir} and ${services.NAME.port}.");
            return Optional.of("");
        }
        List<RawVar> definitions = scope.vars.get(name);
        int index = definitions == null ? -1 : definitions.size() - 1;
        Frame current = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        if (current != null
                && current.scopeId().equals(scope.id)
                && current.key().equals(name)) {
            index = current.index() - 1; // PATH=${PATH}:... means the definition below, as in a shell
        }
        if (index >= 0) {
            return Optional.of(variable(scope, name, index));
        }
        return Optional.ofNullable(processEnvironment.get(name));
    }

    /** Every service of the file, declared yet or not: a cwd may name a service the file declares later. */
    private List<String> serviceNames() {
        List<String> names = new ArrayList<>(serviceNames);
        for (ScopeSpec spec : specs.values()) {
            if (spec.service() != null && !names.contains(spec.service())) {
                names.add(spec.service());
            }
        }
        return names;
    }

    /** Sets the project folder as messages name it: the folder of the config file as the user gave it. */
    void shownBase(Path base) {
        this.shownBase = base;
    }

    /** Sets the names of every service in the file, before their scopes are declared. */
    void services(List<String> names) {
        serviceNames.clear();
        serviceNames.addAll(names);
    }

    private String portText(String service, Mark mark, String path) {
        OptionalInt port = port(service);
        if (port.isEmpty()) {
            if (portNodes.containsKey(service)) {
                return ""; // the port itself is wrong: reported where it is written
            }
            problems.add(
                    mark, path, "service '" + service + "' declares no port. Add 'port: N' or 'port: auto' to it.");
            return "";
        }
        return Integer.toString(port.getAsInt());
    }

    // ---------------------------------------------------------------- variables

    /** Resolves one definition of a variable; a reference to itself means the definition below, as in a shell. */
    private String variable(Scope scope, String key, int index) {
        String memoKey = key + "#" + index;
        String known = scope.resolved.get(memoKey);
        if (known != null) {
            return known;
        }
        RawVar raw = scope.vars.get(key).get(index);
        Frame frame = new Frame(scope.id, key, index);
        int onStack = stack.indexOf(frame);
        if (onStack >= 0) {
            List<String> cycle = new ArrayList<>(chainNames().subList(onStack, stack.size()));
            cycle.add(key);
            problems.add(
                    raw.mark(),
                    raw.path(),
                    "variable reference cycle " + String.join(" → ", cycle)
                            + ". Give one of them a value that does not refer back.");
            return "";
        }
        stack.add(frame);
        String value;
        try {
            value = expand(raw.value(), scope, raw.mark(), raw.path(), raw.interpolate());
        } finally {
            stack.remove(stack.size() - 1);
        }
        scope.resolved.put(memoKey, value);
        return value;
    }

    /** Returns the resolved environment of a scope, in the order its variables first appear. */
    Map<String, String> environment(String scopeId) {
        Scope scope = scope(scopeId);
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<RawVar>> entry : scope.vars.entrySet()) {
            values.put(
                    entry.getKey(),
                    variable(scope, entry.getKey(), entry.getValue().size() - 1));
        }
        return values;
    }

    /** The env files of a scope, absolute, in layer order. */
    List<Path> envFiles(String scopeId) {
        List<Path> files = new ArrayList<>();
        for (LayerSource layer : specs.get(scopeId).layers()) {
            if (layer instanceof EnvFile envFile) {
                files.add(envFile.file());
            }
        }
        return files;
    }

    /**
     * Builds a scope again from scratch, reading its env files anew, with the ports as resolved now.
     *
     * @throws ConfigException when an env file is missing or wrong, or a variable is undefined or cyclic
     */
    Map<String, String> reload(String scopeId) {
        Problems fresh = new Problems(projectDirectory);
        Resolver again = new Resolver(
                projectName,
                projectDirectory,
                processEnvironment,
                portAllocator,
                fresh,
                portNodes,
                new HashMap<>(ports),
                autoPorts);
        again.specs.putAll(specs);
        again.shownBase = shownBase;
        Map<String, String> values = again.environment(scopeId);
        fresh.throwIfAny();
        return values;
    }

    private Scope scope(String id) {
        Scope scope = scopes.get(id);
        if (scope == null) {
            ScopeSpec spec = specs.get(id);
            if (spec == null) {
                throw new IllegalStateException("undeclared scope " + id);
            }
            scope = new Scope(spec.service(), id, read(spec.layers()));
            scopes.put(id, scope);
        }
        return scope;
    }

    private Map<String, List<RawVar>> read(List<LayerSource> layers) {
        Map<String, List<RawVar>> vars = new LinkedHashMap<>();
        for (LayerSource layer : layers) {
            List<RawVar> defined = layer instanceof Fixed fixed ? fixed.vars() : read((EnvFile) layer);
            for (RawVar var : defined) {
                vars.computeIfAbsent(var.key(), k -> new ArrayList<>()).add(var);
            }
        }
        return vars;
    }

    private List<RawVar> read(EnvFile envFile) {
        String text;
        try {
            text = Files.readString(envFile.file(), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            if (envFile.required()) {
                problems.add(
                        envFile.mark(),
                        envFile.path(),
                        "env file " + envFile.file() + " does not exist. Create it, fix the path, or write { path: "
                                + "..., required: false } to make it optional.");
            }
            return List.of();
        } catch (IOException e) {
            problems.add(envFile.mark(), envFile.path(), "env file " + envFile.file() + " cannot be read: " + e + ".");
            return List.of();
        }
        Path shown =
                shownBase.resolve(projectDirectory.relativize(envFile.file())).normalize();
        DotEnv.Result parsed = DotEnv.parse(shown, text);
        problems.addAll(parsed.problems());
        List<RawVar> vars = new ArrayList<>();
        for (DotEnv.Entry entry : parsed.entries()) {
            vars.add(new RawVar(
                    entry.key(),
                    entry.value(),
                    entry.interpolate(),
                    new Mark(shown, entry.line(), entry.column()),
                    entry.key()));
        }
        return vars;
    }

    // ---------------------------------------------------------------- ports

    /**
     * Returns a service's port: a number, {@code auto} (picked once), or a reference resolving to a number; empty
     * when it declares none or it is wrong (then reported).
     */
    OptionalInt port(String service) {
        OptionalInt known = ports.get(service);
        if (known != null) {
            return known;
        }
        Node node = portNodes.get(service);
        if (node == null) {
            ports.put(service, OptionalInt.empty());
            return OptionalInt.empty();
        }
        Frame frame = new Frame("services." + service, "services." + service + ".port", -1);
        int onStack = stack.indexOf(frame);
        if (onStack >= 0) {
            List<String> cycle = new ArrayList<>(chainNames().subList(onStack, stack.size()));
            cycle.add(frame.key());
            problems.add(
                    node.mark(),
                    "services." + service + ".port",
                    "the port refers to itself through " + String.join(" → ", cycle)
                            + ". Write the number, or 'auto'.");
            return OptionalInt.empty();
        }
        stack.add(frame);
        OptionalInt port;
        try {
            // A port read before its service's scope is declared (from a cwd) sees the project's variables.
            String scopeId = specs.containsKey("services." + service) ? "services." + service : "";
            port = port(node, scopeId, "services." + service + ".port", true);
        } finally {
            stack.remove(stack.size() - 1);
        }
        if (port.isPresent() && isAuto(node)) {
            autoPorts.add(service);
        }
        ports.put(service, port);
        return port;
    }

    /** Reads a port value: 1-65535, or {@code auto} when allowed. */
    OptionalInt port(Node node, String scopeId, String path, boolean autoAllowed) {
        if (isAuto(node) && autoAllowed) {
            return OptionalInt.of(portAllocator.getAsInt());
        }
        Optional<Node> checked = resolveForType(node, scopeId, path);
        if (checked.isEmpty()) {
            return OptionalInt.empty();
        }
        Node resolved = checked.get();
        if (resolved instanceof ScalarNode scalar && scalar.type() == ScalarType.INTEGER) {
            try {
                int port = Integer.parseInt(String.valueOf(scalar.text()));
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
                "expected an integer 1-65535" + (autoAllowed ? " or 'auto'" : "") + ", found " + resolved.describe()
                        + ". Fix the value"
                        + (autoAllowed ? ", write 'auto' to let farm pick a free port," : "")
                        + " or remove the key.");
        return OptionalInt.empty();
    }

    private static boolean isAuto(Node node) {
        return node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING && "auto".equals(scalar.text());
    }

    /** The variables of one scope: each key's definitions, lowest layer first. */
    private static final class Scope {
        final @Nullable String service;
        final String id;
        final Map<String, List<RawVar>> vars;
        final Map<String, String> resolved = new HashMap<>();

        Scope(@Nullable String service, String id, Map<String, List<RawVar>> vars) {
            this.service = service;
            this.id = id;
            this.vars = vars;
        }
    }
}
