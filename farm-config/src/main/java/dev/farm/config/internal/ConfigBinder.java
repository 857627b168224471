package dev.farm.config.internal;

import dev.farm.config.CodegenConfig;
import dev.farm.config.Command;
import dev.farm.config.Dependency;
import dev.farm.config.DependencyCondition;
import dev.farm.config.Environment;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ProxyConfig;
import dev.farm.config.RestartPolicy;
import dev.farm.config.RouteConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.ServiceKind;
import dev.farm.config.WatchRule;
import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.ListNode;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.internal.Node.ScalarNode;
import dev.farm.config.internal.Node.ScalarType;
import dev.farm.config.internal.Resolver.EnvFile;
import dev.farm.config.internal.Resolver.Fixed;
import dev.farm.config.internal.Resolver.LayerSource;
import dev.farm.config.internal.Resolver.RawVar;
import dev.farm.config.internal.Resolver.ScopeSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Binds a configuration tree (after profiles, presets and discovery) to {@link FarmConfig}, interpolating through a
 * {@link Resolver} and collecting every problem, then checks what spans services: dependencies, cycles, routes,
 * codegen references and duplicate ports.
 */
final class ConfigBinder {

    static final List<String> TOP_KEYS =
            List.of("name", "env", "env_file", "services", "proxy", "codegen", "discover", "profiles");
    static final List<String> SERVICE_KEYS = List.of(
            "kind",
            "command",
            "start",
            "stop",
            "cwd",
            "env",
            "env_file",
            "port",
            "ready",
            "alive",
            "depends_on",
            "restart",
            "stop_signal",
            "stop_timeout",
            "success_exit_codes",
            "adopt",
            "optional",
            "watch",
            "preset",
            "models",
            "group");
    static final List<String> CHECKS = List.of("tcp", "http", "log", "exec", "heartbeat");
    static final List<String> PROBE_KEYS = List.of(
            "tcp", "http", "method", "status", "port", "log", "exec", "heartbeat", "timeout", "every", "failures");
    static final List<String> RESTART_KEYS = List.of("when", "max", "backoff", "reset_after");
    static final List<String> WATCH_KEYS = List.of("paths", "ignore", "do");
    static final List<String> ACTION_KEYS = List.of("run", "codegen", "http", "fallback");
    static final List<String> PROXY_KEYS = List.of("port", "hold", "routes");
    static final List<String> ROUTE_KEYS = List.of("to", "rewrite", "websocket", "hold");
    static final List<String> CODEGEN_KEYS = List.of("from", "out", "on", "client");
    static final List<String> FROM_KEYS = List.of("service", "path", "file", "command");
    static final List<String> ENV_FILE_KEYS = List.of("path", "required");
    static final List<String> SIGNALS = List.of("TERM", "INT", "QUIT", "HUP", "KILL", "USR1", "USR2");

    static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern HTTP_CALL = Pattern.compile("([A-Z]+)\\s+(/\\S*)");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final String PROJECT = "";

    private final Path source;
    private final Path directory;
    private final String profile;
    private final LoadOptions options;
    private final Problems problems;
    private final Map<String, Mark> keyMarks = new HashMap<>();
    private final Map<String, Path> workingDirectories = new HashMap<>();
    private final Map<String, Map<String, Mark>> dependencyMarks = new HashMap<>();
    private final Map<String, Mark> portMarks = new HashMap<>();
    /** Where references to other parts of the file stand, by key path, for the checks that need every part read. */
    private final Map<String, Mark> referenceMarks = new HashMap<>();

    private final List<String> declared = new ArrayList<>();
    private Map<String, Command> setups = Map.of();
    private boolean foundManifests;
    private Resolver resolver;

    ConfigBinder(Path source, Path directory, LoadOptions options, Problems problems) {
        this.source = source;
        this.directory = directory;
        this.profile = options.profile();
        this.options = options;
        this.problems = problems;
    }

    /** Says whether discovery found manifests, which were reported when none became a service. */
    ConfigBinder foundManifests(boolean foundManifests) {
        this.foundManifests = foundManifests;
        return this;
    }

    /** Sets the setup commands of discovered services, by name. */
    ConfigBinder setups(Map<String, Command> setups) {
        this.setups = setups;
        return this;
    }

    FarmConfig bind(MapNode top, List<String> profiles) {
        rejectUnknownKeys(top, "", TOP_KEYS);
        String name = top.entry("name")
                .flatMap(e -> plainString(e.value(), "name").filter(n -> {
                    if (n.isBlank()) {
                        problems.add(
                                e.value().mark(),
                                "name",
                                "empty. Name the project, or remove the key to use" + " the folder's name.");
                        return false;
                    }
                    return true;
                }))
                .orElseGet(() -> String.valueOf(directory.getFileName()));
        MapNode services = servicesNode(top);
        Map<String, Node> portNodes = new LinkedHashMap<>();
        for (Entry entry : services.entries()) {
            declared.add(entry.key());
            keyMarks.put(entry.key(), entry.keyMark());
            if (entry.value() instanceof MapNode map) {
                map.entry("port").ifPresent(p -> {
                    portNodes.put(entry.key(), p.value());
                    portMarks.put(entry.key(), p.value().mark());
                });
            }
        }
        resolver = new Resolver(name, directory, options.environment(), options.portAllocator(), problems, portNodes);
        resolver.services(declared);
        Path sourceFolder = source.getParent();
        resolver.shownBase(sourceFolder == null ? Path.of("") : sourceFolder);

        List<LayerSource> projectLayers = new ArrayList<>();
        top.entry("env_file").ifPresent(e -> projectLayers.addAll(envFiles(e.value(), "env_file", directory)));
        top.entry("env").ifPresent(e -> projectLayers.add(new Fixed(vars(e.value(), "env"))));
        Fixed overrides = overrides(top.mark());
        List<LayerSource> projectScope = new ArrayList<>(projectLayers);
        projectScope.add(overrides);
        resolver.declare(new ScopeSpec(null, PROJECT, projectScope));

        for (Entry entry : services.entries()) {
            if (entry.value() instanceof MapNode map) {
                declareService(entry.key(), map, projectLayers, overrides);
            } else {
                resolver.declare(new ScopeSpec(entry.key(), scopeOf(entry.key()), List.of()));
            }
        }

        Map<String, ServiceConfig> bound = new LinkedHashMap<>();
        for (Entry entry : services.entries()) {
            service(entry).ifPresent(service -> bound.put(service.name(), service));
        }
        Optional<ProxyConfig> proxy = top.entry("proxy").flatMap(e -> proxy(e.value()));
        Map<String, CodegenConfig> codegen =
                top.entry("codegen").map(e -> codegen(e.value())).orElse(Map.of());
        checkDependencies(bound);
        checkReferences(bound, proxy, codegen, top);
        checkPorts(bound, proxy, top);
        return new FarmConfig(name, directory, source, profile, profiles, bound, proxy, codegen);
    }

    private MapNode servicesNode(MapNode top) {
        Optional<Entry> servicesEntry = top.entry("services");
        if (servicesEntry.isEmpty()) {
            boolean misspelled = top.entries().stream()
                    .anyMatch(e -> !e.key().equals("services")
                            && Suggestions.nearest(e.key(), TOP_KEYS)
                                    .filter("services"::equals)
                                    .isPresent());
            if (!misspelled) { // a misspelling was reported already, with "did you mean 'services'"
                problems.add(
                        top.mark(),
                        "services",
                        "missing. Declare the services to run, for example 'services: { api: { command: ... } }',"
                                + " or a 'discover' rule that finds them.");
            }
            return new MapNode(top.mark(), List.of());
        }
        Node value = servicesEntry.get().value();
        if (!(value instanceof MapNode map)) {
            problems.add(
                    value.mark(),
                    "services",
                    "expected a mapping of service names to services, found " + value.describe() + ".");
            return new MapNode(value.mark(), List.of());
        }
        if (map.entries().isEmpty() && !foundManifests) {
            problems.add(
                    map.mark(),
                    "services",
                    "no services declared. Declare at least one, or a 'discover' rule whose folder holds some.");
        }
        return map;
    }

    private static String scopeOf(String service) {
        return "services." + service;
    }

    private void declareService(String name, MapNode map, List<LayerSource> projectLayers, Fixed overrides) {
        String path = scopeOf(name);
        Path cwd = map.entry("cwd")
                .flatMap(e -> existingDirectory(e.value(), path + ".cwd", PROJECT))
                .orElse(directory);
        workingDirectories.put(name, cwd);
        Mark mark = keyMarks.get(name);
        List<RawVar> defaults = new ArrayList<>();
        if (map.entry("port").isPresent()) {
            defaults.add(new RawVar("PORT", "${port}", true, mark, path + ".port"));
        }
        defaults.add(new RawVar("FARM_SERVICE_NAME", name, false, mark, path));
        defaults.add(new RawVar("FARM_PROJECT_DIR", directory.toString(), false, mark, path));
        defaults.add(new RawVar("PYTHONUNBUFFERED", "1", false, mark, path));
        if (!options.environment().containsKey("NO_COLOR")) {
            defaults.add(new RawVar("FORCE_COLOR", "1", false, mark, path));
        }
        List<LayerSource> layers = new ArrayList<>();
        layers.add(new Fixed(defaults));
        layers.addAll(projectLayers);
        map.entry("env_file").ifPresent(e -> layers.addAll(envFiles(e.value(), path + ".env_file", cwd)));
        map.entry("env").ifPresent(e -> layers.add(new Fixed(vars(e.value(), path + ".env"))));
        layers.add(overrides);
        resolver.declare(new ScopeSpec(name, path, layers));
    }

    private Fixed overrides(Mark mark) {
        List<RawVar> vars = new ArrayList<>();
        options.overrides().forEach((k, v) -> vars.add(new RawVar(k, v, false, mark.synthetic(), "--env " + k)));
        return new Fixed(vars);
    }

    private List<RawVar> vars(Node node, String path) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a mapping of variable names to values, such as { LOG_LEVEL: debug }, found "
                            + node.describe() + ".");
            return List.of();
        }
        List<RawVar> vars = new ArrayList<>();
        for (Entry entry : map.entries()) {
            String entryPath = Paths.child(path, entry.key());
            if (!ENV_NAME.matcher(entry.key()).matches()) {
                problems.add(
                        entry.keyMark(),
                        entryPath,
                        "not a valid variable name: use letters, digits, '_', '.' and '-', starting with a letter or '_'."
                                + " Rename it.");
                continue;
            }
            Node value = entry.value();
            if (!(value instanceof ScalarNode scalar) || scalar.type() == ScalarType.NULL) {
                problems.add(
                        value.mark(),
                        entryPath,
                        "expected a value (a string, number or boolean), found " + value.describe()
                                + ". Quote it, or write \"\" for an empty value.");
                continue;
            }
            String text = String.valueOf(scalar.text());
            if (text.indexOf('\0') >= 0) {
                problems.add(
                        value.mark(),
                        entryPath,
                        "the value holds a NUL character, which no environment can carry. Remove it.");
                continue;
            }
            vars.add(new RawVar(entry.key(), text, scalar.type() == ScalarType.STRING, value.mark(), entryPath));
        }
        return vars;
    }

    private List<LayerSource> envFiles(Node node, String path, Path base) {
        List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
        List<LayerSource> files = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = node instanceof ListNode ? path + "[" + i + "]" : path;
            boolean required = true;
            Node pathNode = item;
            if (item instanceof MapNode map) {
                rejectUnknownKeys(map, itemPath, ENV_FILE_KEYS);
                Optional<Entry> p = map.entry("path");
                if (p.isEmpty()) {
                    problems.add(item.mark(), itemPath + ".path", "missing. Name the env file.");
                    continue;
                }
                pathNode = p.get().value();
                required = map.entry("required")
                        .flatMap(e -> bool(e.value(), itemPath + ".required", PROJECT))
                        .orElse(true);
            }
            Optional<String> text = string(pathNode, itemPath, PROJECT);
            if (text.isPresent()) {
                files.add(new EnvFile(base.resolve(text.get()).normalize(), required, pathNode.mark(), itemPath));
            }
        }
        return files;
    }

    // ---------------------------------------------------------------- services

    private Optional<ServiceConfig> service(Entry entry) {
        String name = entry.key();
        String path = scopeOf(name);
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
        String scope = path;
        Optional<ServiceKind> givenKind = map.entry("kind")
                .map(e -> keyword(e.value(), path + ".kind", ServiceKind.values(), ServiceKind::keyword, scope))
                .orElse(Optional.of(ServiceKind.PROCESS));
        ServiceKind kind = givenKind.orElse(ServiceKind.PROCESS);
        boolean unknownPreset = map.entry("preset")
                .map(e -> !(e.value() instanceof ScalarNode s && Presets.NAMES.contains(s.text())))
                .orElse(false);
        // With an unknown kind or preset, what the service must hold is unknown too: that problem is reported alone.
        Optional<Command> command =
                givenKind.isEmpty() || unknownPreset ? Optional.empty() : commandOf(map, entry, kind, path);
        valid &= givenKind.isPresent() && !unknownPreset;
        Optional<Command> stop = map.entry("stop").flatMap(e -> command(e.value(), path + ".stop", scope));
        if (kind == ServiceKind.DAEMON && map.entry("stop").isPresent() && stop.isEmpty()) {
            valid = false; // the stop command is wrong: reported where it is written
        }
        if (kind == ServiceKind.DAEMON
                && givenKind.isPresent()
                && map.entry("stop").isEmpty()) {
            problems.add(
                    entry.keyMark(),
                    path + ".stop",
                    "missing: a daemon needs a command that stops it (such as 'pg_ctl -D data stop'). Add 'stop'.");
            valid = false;
        }
        if (kind == ServiceKind.EXTERNAL && map.entry("stop").isPresent()) {
            problems.add(
                    map.entry("stop").get().keyMark(),
                    path + ".stop",
                    "an external service is never stopped by farm. Remove 'stop', or make it a daemon.");
        }
        Path cwd = workingDirectories.getOrDefault(name, directory);
        OptionalInt port = resolver.port(name);
        Optional<ProbeConfig> ready =
                map.entry("ready").flatMap(e -> probe(e.value(), path + ".ready", port, false, scope));
        if (kind == ServiceKind.EXTERNAL && map.entry("ready").isEmpty()) {
            problems.add(
                    entry.keyMark(),
                    path + ".ready",
                    "missing: farm only probes an external service, so it needs a 'ready' probe such as { tcp: 5432 }.");
        }
        Optional<ProbeConfig> alive =
                map.entry("alive").flatMap(e -> probe(e.value(), path + ".alive", port, true, scope));
        Map<String, Mark> marks = new LinkedHashMap<>();
        Map<String, Dependency> dependsOn = map.entry("depends_on")
                .map(e -> dependencies(e.value(), path + ".depends_on", marks, scope))
                .orElse(Map.of());
        dependencyMarks.put(name, marks);
        RestartPolicy restart = map.entry("restart")
                .flatMap(e -> restart(e.value(), path + ".restart", scope))
                .orElse(RestartPolicy.DEFAULT);
        String stopSignal = map.entry("stop_signal")
                .flatMap(e -> signal(e.value(), path + ".stop_signal", scope))
                .orElse(ServiceConfig.DEFAULT_STOP_SIGNAL);
        Duration stopTimeout = map.entry("stop_timeout")
                .flatMap(e -> duration(e.value(), path + ".stop_timeout", scope))
                .orElse(ServiceConfig.DEFAULT_STOP_TIMEOUT);
        List<Integer> successCodes = map.entry("success_exit_codes")
                .map(e -> exitCodes(e.value(), path + ".success_exit_codes", scope))
                .orElse(List.of(0));
        boolean adopt = map.entry("adopt")
                .flatMap(e -> bool(e.value(), path + ".adopt", scope))
                .orElse(false);
        boolean optional = map.entry("optional")
                .flatMap(e -> bool(e.value(), path + ".optional", scope))
                .orElse(false);
        List<WatchRule> watch = map.entry("watch")
                .map(e -> watchRules(e.value(), path + ".watch", cwd, scope))
                .orElse(List.of());
        Optional<String> preset = map.entry("preset").flatMap(e -> plainString(e.value(), path + ".preset"));
        List<String> models = map.entry("models")
                .map(e -> strings(e.value(), path + ".models", scope))
                .orElse(List.of());
        if (map.entry("models").isPresent() && !preset.equals(Optional.of("ollama"))) {
            problems.add(
                    map.entry("models").get().keyMark(),
                    path + ".models",
                    "only the ollama preset pulls models. Add 'preset: ollama', or remove 'models'.");
        }
        Optional<String> group = map.entry("group").flatMap(e -> string(e.value(), path + ".group", scope));
        Environment environment = environment(path);

        if (!valid || (command.isEmpty() && kind != ServiceKind.EXTERNAL)) {
            return Optional.empty();
        }
        return Optional.of(new ServiceConfig(
                name,
                kind,
                command,
                kind == ServiceKind.EXTERNAL ? Optional.empty() : stop,
                cwd,
                environment,
                port,
                resolver.isAutoPort(name),
                ready,
                alive,
                dependsOn,
                restart,
                stopSignal,
                stopTimeout,
                successCodes,
                adopt,
                watch,
                preset,
                models,
                group,
                Optional.ofNullable(setups.get(name)),
                optional));
    }

    private Environment environment(String scope) {
        Map<String, String> values = resolver.environment(scope);
        Resolver captured = resolver;
        return new Environment(values, resolver.envFiles(scope), () -> captured.reload(scope));
    }

    private Optional<Command> commandOf(MapNode map, Entry entry, ServiceKind kind, String path) {
        Optional<Entry> command = map.entry("command");
        Optional<Entry> start = map.entry("start");
        switch (kind) {
            case PROCESS -> {
                if (start.isPresent()) {
                    problems.add(
                            start.get().keyMark(),
                            path + ".start",
                            "'start' is for kind: daemon, whose start command exits. A process runs 'command';"
                                    + " rename the key, or add 'kind: daemon' and a 'stop' command.");
                    return Optional.empty();
                }
                if (command.isEmpty()) {
                    if (!misspelled(map, "command")) { // else "did you mean 'command'" says it already
                        problems.add(
                                entry.keyMark(),
                                path + ".command",
                                "missing. Say what to run, as a string (run by /bin/sh -c) or a list (run directly).");
                    }
                    return Optional.empty();
                }
                return command(command.get().value(), path + ".command", path);
            }
            case DAEMON -> {
                if (command.isPresent()) {
                    problems.add(
                            command.get().keyMark(),
                            path + ".command",
                            "a daemon is started with 'start' (a command that exits once the daemon runs) and"
                                    + " stopped with 'stop'. Rename 'command' to 'start'.");
                    return Optional.empty();
                }
                if (start.isEmpty()) {
                    problems.add(
                            entry.keyMark(),
                            path + ".start",
                            "missing: a daemon needs a command that starts it and exits (such as 'pg_ctl -D data"
                                    + " start'). Add 'start'.");
                    return Optional.empty();
                }
                return command(start.get().value(), path + ".start", path);
            }
            default -> {
                for (Optional<Entry> given : List.of(command, start)) {
                    given.ifPresent(e -> problems.add(
                            e.keyMark(),
                            Paths.child(path, e.key()),
                            "an external service runs outside farm, so farm runs nothing for it. Remove '" + e.key()
                                    + "', or make it a process or a daemon."));
                }
                return Optional.empty();
            }
        }
    }

    Optional<Command> command(Node raw, String path, String scope) {
        if (raw instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            String script = resolver.expand(String.valueOf(scalar.text()), scope, raw.mark(), path);
            if (script.isBlank()) {
                problems.add(raw.mark(), path, "empty. Say what to run.");
                return Optional.empty();
            }
            return Optional.of(new Command.Shell(script));
        }
        if (raw instanceof ListNode list) {
            if (list.items().isEmpty()) {
                problems.add(
                        raw.mark(), path, "empty list. Give the program and its arguments, such as [java, Api.java].");
                return Optional.empty();
            }
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String itemPath = path + "[" + i + "]";
                if (!(item instanceof ScalarNode scalar) || scalar.type() == ScalarType.NULL) {
                    problems.add(
                            item.mark(), itemPath, "expected an argument (a string), found " + item.describe() + ".");
                    return Optional.empty();
                }
                String text = String.valueOf(scalar.text());
                argv.add(
                        scalar.type() == ScalarType.STRING
                                ? resolver.expand(text, scope, item.mark(), itemPath)
                                : text);
            }
            if (argv.get(0).isEmpty()) {
                problems.add(
                        list.items().get(0).mark(), path + "[0]", "the program is empty. Name the program to run.");
                return Optional.empty();
            }
            return Optional.of(new Command.Exec(argv));
        }
        problems.add(
                raw.mark(),
                path,
                "expected a string (run by /bin/sh -c) or a list of arguments (run directly), found " + raw.describe()
                        + ".");
        return Optional.empty();
    }

    // ---------------------------------------------------------------- probes

    private Optional<ProbeConfig> probe(Node node, String path, OptionalInt servicePort, boolean alive, String scope) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a probe such as { tcp: 5432 } or { http: /health }, found " + node.describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, path, PROBE_KEYS);
        Optional<Entry> chosen = oneOf(
                map,
                path,
                CHECKS,
                PROBE_KEYS,
                "; a probe makes one check. Keep one.",
                "says no check. Add one of " + String.join(", ", CHECKS) + ", such as 'http: /health'.");
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Entry check = chosen.get();
        String checkPath = path + "." + check.key();
        for (String httpOnly : List.of("method", "status", "port")) {
            map.entry(httpOnly)
                    .filter(e -> !check.key().equals("http"))
                    .ifPresent(e -> problems.add(
                            e.keyMark(),
                            Paths.child(path, e.key()),
                            "'" + e.key() + "' applies to http probes only. Remove it."));
        }
        if (alive && check.key().equals("log")) {
            problems.add(
                    check.keyMark(),
                    checkPath,
                    "a log line says once that a service is ready, not that it is still alive. Use it under 'ready',"
                            + " or probe with http or tcp.");
            return Optional.empty();
        }
        Optional<ProbeConfig.Check> bound = switch (check.key()) {
            case "tcp" -> {
                OptionalInt port = resolver.port(check.value(), scope, checkPath, false);
                yield port.isPresent() ? Optional.of(new ProbeConfig.Tcp(port.getAsInt())) : Optional.empty();
            }
            case "http" -> http(map, check, checkPath, path, servicePort, scope);
            case "log" -> regex(check.value(), checkPath, scope).map(ProbeConfig.LogLine::new);
            case "exec" -> command(check.value(), checkPath, scope).map(ProbeConfig.Exec::new);
            default -> duration(check.value(), checkPath, scope).map(ProbeConfig.Heartbeat::new);
        };
        Duration timeout = map.entry("timeout")
                .flatMap(e -> duration(e.value(), path + ".timeout", scope))
                .orElse(alive ? ProbeConfig.DEFAULT_ALIVE_TIMEOUT : ProbeConfig.DEFAULT_TIMEOUT);
        Optional<Duration> every = map.entry("every").flatMap(e -> duration(e.value(), path + ".every", scope));
        if (every.isEmpty() && bound.isPresent() && bound.get() instanceof ProbeConfig.Heartbeat heartbeat) {
            every = Optional.of(heartbeat.interval()); // a missed heartbeat is noticed within one interval
        } else if (alive && every.isEmpty()) {
            every = Optional.of(ProbeConfig.DEFAULT_ALIVE_EVERY);
        }
        int failures = alive ? ProbeConfig.DEFAULT_ALIVE_FAILURES : 1;
        Optional<Entry> failuresEntry = map.entry("failures");
        if (failuresEntry.isPresent()) {
            if (!alive) {
                problems.add(
                        failuresEntry.get().keyMark(),
                        path + ".failures",
                        "'failures' applies to alive probes: a ready probe is retried until its timeout. Remove it,"
                                + " or raise 'timeout'.");
            } else {
                failures = integer(failuresEntry.get().value(), path + ".failures", 1, 1000, scope)
                        .orElse(failures);
            }
        }
        int finalFailures = failures;
        Optional<Duration> finalEvery = every;
        return bound.map(c -> new ProbeConfig(c, timeout, finalEvery, finalFailures));
    }

    private Optional<ProbeConfig.Check> http(
            MapNode map, Entry check, String checkPath, String path, OptionalInt servicePort, String scope) {
        Optional<String> target = string(check.value(), checkPath, scope);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String method = map.entry("method")
                .flatMap(e -> string(e.value(), path + ".method", scope)
                        .map(m -> m.toUpperCase(Locale.ROOT))
                        .filter(m -> {
                            if (METHOD.matcher(m).matches()) {
                                return true;
                            }
                            problems.add(
                                    e.value().mark(),
                                    path + ".method",
                                    "expected an HTTP method such as GET or POST, found "
                                            + e.value().describe() + ".");
                            return false;
                        }))
                .orElse("GET");
        List<Integer> statuses = map.entry("status")
                .map(e -> statuses(e.value(), path + ".status", scope))
                .orElse(List.of());
        OptionalInt probePort = map.entry("port")
                .map(e -> resolver.port(e.value(), scope, path + ".port", false))
                .orElse(OptionalInt.empty());
        String text = target.get();
        if (text.startsWith("http://") || text.startsWith("https://")) {
            return url(check.value(), checkPath, text).map(u -> new ProbeConfig.Http(u, method, statuses));
        }
        if (!text.startsWith("/")) {
            problems.add(
                    check.value().mark(),
                    checkPath,
                    "expected a path starting with '/', such as /health, or a URL, found "
                            + check.value().describe() + ".");
            return Optional.empty();
        }
        OptionalInt port = probePort.isPresent() ? probePort : servicePort;
        if (port.isEmpty()) {
            if (map.entry("port").isEmpty() && !portMarks.containsKey(scope.substring("services.".length()))) {
                problems.add(
                        check.keyMark(),
                        checkPath,
                        "farm needs a port to send this request. Add 'port: N' to the service or to the probe, or"
                                + " write a full URL.");
            }
            return Optional.empty();
        }
        return url(check.value(), checkPath, "http://localhost:" + port.getAsInt() + text)
                .map(u -> new ProbeConfig.Http(u, method, statuses));
    }

    private Optional<URI> url(Node node, String path, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new URISyntaxException(text, "no host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(
                    node.mark(),
                    path,
                    "not a valid URL: " + e.getReason() + " (\"" + text + "\"). Write it as http://HOST:PORT/PATH.");
            return Optional.empty();
        }
    }

    private List<Integer> statuses(Node node, String path, String scope) {
        List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = node instanceof ListNode ? path + "[" + i + "]" : path;
            integer(items.get(i), itemPath, 100, 599, scope).ifPresent(statuses::add);
        }
        return statuses;
    }

    // ---------------------------------------------------------------- dependencies, restart

    private Map<String, Dependency> dependencies(Node node, String path, Map<String, Mark> marks, String scope) {
        Map<String, Dependency> dependencies = new LinkedHashMap<>();
        if (node instanceof ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                Optional<String> name = plainString(item, path + "[" + i + "]");
                name.ifPresent(n -> {
                    if (dependencies.containsKey(n)) {
                        problems.add(
                                item.mark(),
                                path + "[" + dependencies.size() + "]",
                                "'" + n + "' is listed" + " twice. Remove one.");
                        return;
                    }
                    dependencies.put(n, Dependency.on(DependencyCondition.READY));
                    marks.put(n, item.mark());
                });
            }
            return dependencies;
        }
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a mapping of service names to conditions, such as { db: ready }, or a list of names,"
                            + " found " + node.describe() + ".");
            return Map.of();
        }
        List<String> keywords = Arrays.stream(DependencyCondition.values())
                .filter(c -> c != DependencyCondition.LOG)
                .map(DependencyCondition::keyword)
                .collect(Collectors.toList());
        for (Entry entry : map.entries()) {
            String entryPath = Paths.child(path, entry.key());
            Node value = entry.value();
            Optional<Dependency> dependency;
            if (value instanceof MapNode condition) {
                rejectUnknownKeys(condition, entryPath, List.of("log"));
                Optional<Entry> log = condition.entry("log");
                if (log.isEmpty()) {
                    if (condition.entries().isEmpty()) {
                        problems.add(
                                value.mark(),
                                entryPath,
                                "empty condition. Write { log: REGEX } or a word such" + " as ready.");
                    }
                    continue;
                }
                dependency = regex(log.get().value(), entryPath + ".log", scope)
                        .map(r -> new Dependency(DependencyCondition.LOG, Optional.of(r)));
            } else {
                dependency = keyword(
                                value,
                                entryPath,
                                Arrays.stream(DependencyCondition.values())
                                        .filter(c -> c != DependencyCondition.LOG)
                                        .toArray(DependencyCondition[]::new),
                                DependencyCondition::keyword,
                                scope,
                                " or { log: REGEX }")
                        .map(Dependency::on);
            }
            if (dependency.isPresent()) {
                dependencies.put(entry.key(), dependency.get());
                marks.put(entry.key(), entry.keyMark());
            } else if (keywords.isEmpty()) {
                throw new IllegalStateException("no conditions");
            }
        }
        return dependencies;
    }

    private Optional<RestartPolicy> restart(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.BOOLEAN && !isTrue(scalar)) {
            return Optional.of(withWhen(RestartPolicy.DEFAULT, RestartPolicy.When.NO)); // YAML 1.1 reads 'no' as false
        }
        if (!(node instanceof MapNode map)) {
            return when(node, path, scope).map(w -> withWhen(RestartPolicy.DEFAULT, w));
        }
        rejectUnknownKeys(map, path, RESTART_KEYS);
        RestartPolicy base = RestartPolicy.DEFAULT;
        RestartPolicy.When when = map.entry("when")
                .flatMap(e -> when(e.value(), path + ".when", scope))
                .orElse(base.when());
        int max = map.entry("max")
                .flatMap(e -> integer(e.value(), path + ".max", 0, 1_000_000, scope))
                .orElse(base.max());
        Duration[] backoff = {base.backoffMin(), base.backoffMax()};
        map.entry("backoff")
                .flatMap(e -> range(e.value(), path + ".backoff", scope))
                .ifPresent(r -> {
                    backoff[0] = r[0];
                    backoff[1] = r[1];
                });
        Duration resetAfter = map.entry("reset_after")
                .flatMap(e -> duration(e.value(), path + ".reset_after", scope))
                .orElse(base.resetAfter());
        return Optional.of(new RestartPolicy(when, max, backoff[0], backoff[1], resetAfter));
    }

    private Optional<RestartPolicy.When> when(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.BOOLEAN && !isTrue(scalar)) {
            return Optional.of(RestartPolicy.When.NO);
        }
        return keyword(node, path, RestartPolicy.When.values(), RestartPolicy.When::keyword, scope);
    }

    private static RestartPolicy withWhen(RestartPolicy policy, RestartPolicy.When when) {
        return new RestartPolicy(when, policy.max(), policy.backoffMin(), policy.backoffMax(), policy.resetAfter());
    }

    private Optional<Duration[]> range(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            String text = String.valueOf(scalar.text()).trim();
            int dots = text.indexOf("..");
            Optional<Duration> low = Durations.parse(dots < 0 ? text : text.substring(0, dots));
            Optional<Duration> high = dots < 0 ? low : Durations.parse(text.substring(dots + 2));
            if (low.isPresent() && high.isPresent()) {
                if (low.get().compareTo(high.get()) > 0) {
                    problems.add(
                            node.mark(),
                            path,
                            "the range starts above its end (" + text + "). Write the smaller duration first, such as "
                                    + Durations.format(high.get()) + ".." + Durations.format(low.get()) + ".");
                    return Optional.empty();
                }
                return Optional.of(new Duration[] {low.get(), high.get()});
            }
        }
        problems.add(
                node.mark(),
                path,
                "expected a range of durations such as 200ms..30s, or one duration, found " + node.describe() + ".");
        return Optional.empty();
    }

    private Optional<String> signal(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            String text = String.valueOf(scalar.text()).toUpperCase(Locale.ROOT);
            String bare = text.startsWith("SIG") ? text.substring(3) : text;
            if (SIGNALS.contains(bare)) {
                return Optional.of(bare);
            }
        }
        problems.add(
                node.mark(),
                path,
                "expected one of " + String.join(", ", SIGNALS) + " (SIG prefix allowed), found " + node.describe()
                        + ". Write one of these.");
        return Optional.empty();
    }

    private List<Integer> exitCodes(Node node, String path, String scope) {
        if (!(node instanceof ListNode list)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a list of exit codes such as [0, 143], found " + node.describe() + ".");
            return List.of(0);
        }
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            integer(list.items().get(i), path + "[" + i + "]", 0, 255, scope).ifPresent(codes::add);
        }
        return codes;
    }

    // ---------------------------------------------------------------- watch

    private List<WatchRule> watchRules(Node node, String path, Path base, String scope) {
        if (!(node instanceof ListNode list)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected a list of rules such as [{ paths: [\"src/**/*.py\"], do: restart }], found "
                            + node.describe() + ".");
            return List.of();
        }
        List<WatchRule> rules = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String itemPath = path + "[" + i + "]";
            if (!(item instanceof MapNode map)) {
                problems.add(
                        item.mark(),
                        itemPath,
                        "expected a rule such as { paths: [...], do: restart }, found " + item.describe() + ".");
                continue;
            }
            rejectUnknownKeys(map, itemPath, WATCH_KEYS);
            Optional<Entry> pathsEntry = map.entry("paths");
            if (pathsEntry.isEmpty()) {
                problems.add(
                        map.mark(),
                        itemPath + ".paths",
                        "missing. Name the files to watch, such as" + " [\"src/**/*.py\"].");
                continue;
            }
            List<String> paths = globs(pathsEntry.get().value(), itemPath + ".paths", scope);
            List<String> ignore = map.entry("ignore")
                    .map(e -> globs(e.value(), itemPath + ".ignore", scope))
                    .orElse(List.of());
            Optional<WatchRule.Action> action = map.entry("do")
                    .map(e -> action(e.value(), itemPath + ".do", scope, true))
                    .orElse(Optional.of(new WatchRule.Restart()));
            if (!paths.isEmpty() && action.isPresent()) {
                rules.add(new WatchRule(base, paths, ignore, action.get()));
            }
        }
        return rules;
    }

    private Optional<WatchRule.Action> action(Node raw, String path, String scope, boolean fallbackAllowed) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            String word = String.valueOf(scalar.text());
            switch (word) {
                case "restart" -> {
                    return Optional.of(new WatchRule.Restart());
                }
                case "cascade" -> {
                    return Optional.of(new WatchRule.Cascade());
                }
                default -> {
                    problems.add(
                            node.mark(),
                            path,
                            "expected restart, cascade, { run: COMMAND }, { codegen: JOB } or { http: \"METHOD PATH\" },"
                                    + " found " + node.describe()
                                    + Suggestions.didYouMean(word, List.of("restart", "cascade")) + ".");
                    return Optional.empty();
                }
            }
        }
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected restart, cascade, { run: COMMAND }, { codegen: JOB } or { http: \"METHOD PATH\" }, found "
                            + node.describe() + ".");
            return Optional.empty();
        }
        if (!fallbackAllowed) {
            problems.add(node.mark(), path, "a fallback is restart or cascade, found " + node.describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, path, ACTION_KEYS);
        Optional<Entry> chosen = oneOf(
                map,
                path,
                List.of("run", "codegen", "http"),
                ACTION_KEYS,
                ". A rule does one thing; write two rules.",
                "says nothing to do. Add run, codegen or http.");
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Entry kind = chosen.get();
        map.entry("fallback")
                .filter(e -> !kind.key().equals("http"))
                .ifPresent(e -> problems.add(
                        e.keyMark(), path + ".fallback", "'fallback' applies to http actions only. Remove it."));
        String kindPath = path + "." + kind.key();
        return switch (kind.key()) {
            case "run" -> command(kind.value(), kindPath, scope).map(WatchRule.Run::new);
            case "codegen" -> {
                referenceMarks.put(kindPath, kind.value().mark());
                yield plainString(kind.value(), kindPath).map(WatchRule.Codegen::new);
            }
            default -> {
                Optional<String> call = string(kind.value(), kindPath, scope);
                if (call.isEmpty()) {
                    yield Optional.empty();
                }
                Matcher matcher = HTTP_CALL.matcher(call.get().trim());
                if (!matcher.matches()) {
                    problems.add(
                            kind.value().mark(),
                            kindPath,
                            "expected \"METHOD PATH\" such as \"POST /api/reload\", found "
                                    + kind.value().describe() + ".");
                    yield Optional.empty();
                }
                // Without a fallback, a failed call restarts the service: the change must take effect somehow.
                Optional<WatchRule.Action> fallback = map.entry("fallback")
                        .map(e -> action(e.value(), path + ".fallback", scope, false))
                        .orElse(Optional.of(new WatchRule.Restart()));
                yield Optional.of(new WatchRule.Http(matcher.group(1), matcher.group(2), fallback));
            }
        };
    }

    private List<String> globs(Node node, String path, String scope) {
        List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
        if (items.isEmpty()) {
            problems.add(node.mark(), path, "empty list. Name at least one glob, such as \"src/**/*.py\".");
        }
        List<String> globs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = node instanceof ListNode ? path + "[" + i + "]" : path;
            Node item = items.get(i);
            string(item, itemPath, scope).ifPresent(glob -> {
                if (checkGlob(glob, item.mark(), itemPath)) {
                    globs.add(glob);
                }
            });
        }
        return globs;
    }

    private boolean checkGlob(String glob, Mark mark, String path) {
        String pattern = glob.startsWith("!") ? glob.substring(1) : glob;
        if (pattern.isEmpty()) {
            problems.add(mark, path, "empty glob. Write a pattern such as \"src/**/*.py\".");
            return false;
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return true;
        } catch (PatternSyntaxException e) {
            problems.add(
                    mark,
                    path,
                    "not a valid glob (" + e.getDescription() + " at character " + (e.getIndex() + 1) + " of \"" + glob
                            + "\"). Close the bracket or brace, or escape it with \\.");
            return false;
        }
    }

    // ---------------------------------------------------------------- proxy, codegen

    private Optional<ProxyConfig> proxy(Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(node.mark(), "proxy", "expected a mapping with 'routes', found " + node.describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, "proxy", PROXY_KEYS);
        OptionalInt port = map.entry("port")
                .map(e -> resolver.port(e.value(), PROJECT, "proxy.port", true))
                .orElse(OptionalInt.of(ProxyConfig.DEFAULT_PORT));
        boolean autoPort = map.entry("port")
                .map(e -> e.value() instanceof ScalarNode s && "auto".equals(s.text()))
                .orElse(false);
        Duration hold = map.entry("hold")
                .flatMap(e -> duration(e.value(), "proxy.hold", PROJECT))
                .orElse(ProxyConfig.DEFAULT_HOLD);
        Optional<Entry> routesEntry = map.entry("routes");
        if (routesEntry.isEmpty()) {
            problems.add(map.mark(), "proxy.routes", "missing. Say where requests go, such as { /api: api, /: web }.");
            return Optional.empty();
        }
        if (!(routesEntry.get().value() instanceof MapNode routesMap)) {
            problems.add(
                    routesEntry.get().value().mark(),
                    "proxy.routes",
                    "expected a mapping of path prefixes to services, such as { /api: api, /: web }, found "
                            + routesEntry.get().value().describe() + ".");
            return Optional.empty();
        }
        List<RouteConfig> routes = new ArrayList<>();
        Map<String, Mark> seen = new HashMap<>();
        for (Entry entry : routesMap.entries()) {
            String routePath = "proxy.routes." + entry.key();
            if (!entry.key().startsWith("/")) {
                problems.add(
                        entry.keyMark(),
                        routePath,
                        "a route is a path prefix starting with '/', such as /api. Write '/" + entry.key() + "'.");
                continue;
            }
            String prefix = entry.key().length() > 1 && entry.key().endsWith("/")
                    ? entry.key().substring(0, entry.key().length() - 1)
                    : entry.key();
            Mark first = seen.putIfAbsent(prefix, entry.keyMark());
            if (first != null) {
                problems.add(
                        entry.keyMark(),
                        routePath,
                        "the same prefix as the route on line " + first.line()
                                + " (a trailing '/' makes no difference). Keep one.");
                continue;
            }
            route(prefix, entry.value(), routePath).ifPresent(routes::add);
        }
        if (port.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProxyConfig(port.getAsInt(), autoPort, hold, routes));
    }

    private Optional<RouteConfig> route(String prefix, Node node, String path) {
        referenceMarks.put("proxy.routes." + prefix, node.mark());
        if (node instanceof MapNode map) {
            rejectUnknownKeys(map, path, ROUTE_KEYS);
            Optional<Entry> to = map.entry("to");
            if (to.isEmpty()) {
                problems.add(map.mark(), path + ".to", "missing. Name the service or URL the requests go to.");
                return Optional.empty();
            }
            Optional<RouteConfig.Target> target = target(to.get().value(), path + ".to");
            Optional<String> rewrite = map.entry("rewrite")
                    .flatMap(e -> string(e.value(), path + ".rewrite", PROJECT).filter(r -> {
                        if (r.startsWith("/")) {
                            return true;
                        }
                        problems.add(
                                e.value().mark(),
                                path + ".rewrite",
                                "expected a path starting with '/', such as /api, found "
                                        + e.value().describe() + ".");
                        return false;
                    }));
            boolean websocket = map.entry("websocket")
                    .flatMap(e -> bool(e.value(), path + ".websocket", PROJECT))
                    .orElse(true);
            Optional<Duration> hold = map.entry("hold").flatMap(e -> duration(e.value(), path + ".hold", PROJECT));
            return target.map(t -> new RouteConfig(prefix, t, rewrite, websocket, hold));
        }
        return target(node, path).map(t -> new RouteConfig(prefix, t, Optional.empty(), true, Optional.empty()));
    }

    private Optional<RouteConfig.Target> target(Node node, String path) {
        Optional<String> text = string(node, path, PROJECT);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String to = text.get();
        if (to.startsWith("http://") || to.startsWith("https://")) {
            return url(node, path, to).map(RouteConfig.UrlTarget::new);
        }
        if (!declared.contains(to)) {
            problems.add(
                    node.mark(),
                    path,
                    "no service named '" + to + "'" + Suggestions.didYouMean(to, declared)
                            + ". Name a service under 'services', or write a URL such as http://127.0.0.1:9000.");
            return Optional.empty();
        }
        return Optional.of(new RouteConfig.ServiceTarget(to));
    }

    private Map<String, CodegenConfig> codegen(Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(), "codegen", "expected a mapping of job names to jobs, found " + node.describe() + ".");
            return Map.of();
        }
        Map<String, CodegenConfig> jobs = new LinkedHashMap<>();
        for (Entry entry : map.entries()) {
            String path = "codegen." + entry.key();
            if (!(entry.value() instanceof MapNode job)) {
                problems.add(
                        entry.value().mark(),
                        path,
                        "expected a job with 'from' and 'out', found "
                                + entry.value().describe() + ".");
                continue;
            }
            rejectUnknownKeys(job, path, CODEGEN_KEYS);
            Optional<CodegenConfig.Source> from =
                    job.entry("from").flatMap(e -> codegenSource(e.value(), path + ".from"));
            if (job.entry("from").isEmpty()) {
                problems.add(
                        entry.keyMark(),
                        path + ".from",
                        "missing. Say where the OpenAPI document comes from,"
                                + " such as { service: api, path: /openapi.json }.");
            }
            Optional<Path> out = job.entry("out")
                    .flatMap(e -> string(e.value(), path + ".out", PROJECT))
                    .map(o -> directory.resolve(o).normalize());
            if (job.entry("out").isEmpty()) {
                problems.add(
                        entry.keyMark(),
                        path + ".out",
                        "missing. Name the TypeScript file to write, such as" + " web/src/api/generated.ts.");
            }
            List<String> on = job.entry("on")
                    .map(e -> globs(e.value(), path + ".on", PROJECT))
                    .orElse(List.of());
            boolean client = job.entry("client")
                    .flatMap(e -> bool(e.value(), path + ".client", PROJECT))
                    .orElse(true);
            if (from.isPresent() && out.isPresent()) {
                jobs.put(entry.key(), new CodegenConfig(entry.key(), from.get(), out.get(), on, client));
            }
        }
        return jobs;
    }

    private Optional<CodegenConfig.Source> codegenSource(Node node, String path) {
        if (!(node instanceof MapNode map)) {
            problems.add(
                    node.mark(),
                    path,
                    "expected { service: NAME, path: /openapi.json }, { file: PATH } or"
                            + " { command: COMMAND }, found " + node.describe() + ".");
            return Optional.empty();
        }
        rejectUnknownKeys(map, path, FROM_KEYS);
        Optional<Entry> chosen = oneOf(
                map,
                path,
                List.of("service", "file", "command"),
                FROM_KEYS,
                ". Keep one source.",
                "says no source. Add service, file or command.");
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Entry kind = chosen.get();
        map.entry("path")
                .filter(e -> !kind.key().equals("service"))
                .ifPresent(e -> problems.add(e.keyMark(), path + ".path", "'path' goes with 'service'. Remove it."));
        return switch (kind.key()) {
            case "service" -> {
                Optional<String> service = plainString(kind.value(), path + ".service");
                String requestPath = map.entry("path")
                        .flatMap(e -> string(e.value(), path + ".path", PROJECT).filter(p -> {
                            if (p.startsWith("/")) {
                                return true;
                            }
                            problems.add(
                                    e.value().mark(),
                                    path + ".path",
                                    "expected a path starting with '/', such as" + " /openapi.json, found "
                                            + e.value().describe() + ". Add the leading '/'.");
                            return false;
                        }))
                        .orElse("/openapi.json");
                yield service.map(s -> new CodegenConfig.FromService(s, requestPath));
            }
            case "file" ->
                string(kind.value(), path + ".file", PROJECT).flatMap(f -> {
                    Path file = directory.resolve(f).normalize();
                    if (!Files.isRegularFile(file)) {
                        problems.add(
                                kind.value().mark(),
                                path + ".file",
                                "file " + file + " does not exist. Fix the path"
                                        + " (a relative path starts at the project folder).");
                        return Optional.empty();
                    }
                    return Optional.of(new CodegenConfig.FromFile(file));
                });
            default -> command(kind.value(), path + ".command", PROJECT).map(CodegenConfig.FromCommand::new);
        };
    }

    // ---------------------------------------------------------------- checks across services

    private void checkDependencies(Map<String, ServiceConfig> services) {
        for (ServiceConfig service : services.values()) {
            for (String dependency : service.dependsOn().keySet()) {
                Mark mark = dependencyMarks.get(service.name()).get(dependency);
                String path = "services." + service.name() + ".depends_on." + dependency;
                if (dependency.equals(service.name())) {
                    problems.add(mark, path, "a service cannot depend on itself. Remove this dependency.");
                } else if (!declared.contains(dependency)) {
                    problems.add(
                            mark,
                            path,
                            "no service named '" + dependency + "'" + Suggestions.didYouMean(dependency, declared)
                                    + ". Declare it under 'services', or remove this dependency.");
                }
            }
        }
        findCycle(services).ifPresent(cycle -> {
            String from = cycle.get(0);
            String to = cycle.get(1);
            problems.add(
                    dependencyMarks.get(from).get(to),
                    "services." + from + ".depends_on." + to,
                    "dependency cycle " + String.join(" → ", cycle)
                            + ". Remove one of these dependencies so the services can start in order.");
        });
    }

    private void checkReferences(
            Map<String, ServiceConfig> services,
            Optional<ProxyConfig> proxy,
            Map<String, CodegenConfig> codegen,
            MapNode top) {
        Optional<MapNode> jobs = top.entry("codegen")
                .map(Entry::value)
                .filter(MapNode.class::isInstance)
                .map(MapNode.class::cast);
        for (CodegenConfig job : codegen.values()) {
            if (job.from() instanceof CodegenConfig.FromService from && !declared.contains(from.service())) {
                Mark mark = jobs.flatMap(j -> j.entry(job.name()))
                        .map(e -> e.value())
                        .filter(MapNode.class::isInstance)
                        .map(MapNode.class::cast)
                        .flatMap(j -> j.entry("from"))
                        .map(e -> e.value())
                        .filter(MapNode.class::isInstance)
                        .map(MapNode.class::cast)
                        .flatMap(f -> f.entry("service"))
                        .map(e -> e.value().mark())
                        .orElse(top.mark());
                problems.add(
                        mark,
                        "codegen." + job.name() + ".from.service",
                        "no service named '" + from.service() + "'" + Suggestions.didYouMean(from.service(), declared)
                                + ". Name a service under 'services'.");
            }
        }
        List<String> jobNames = new ArrayList<>(
                jobs.map(j -> j.entries().stream().map(Entry::key).collect(Collectors.toList()))
                        .orElse(List.of()));
        for (ServiceConfig service : services.values()) {
            for (int i = 0; i < service.watch().size(); i++) {
                WatchRule.Action action = service.watch().get(i).action();
                if (action instanceof WatchRule.Codegen codegenAction && !jobNames.contains(codegenAction.job())) {
                    problems.add(
                            referenceMarks.getOrDefault(
                                    "services." + service.name() + ".watch[" + i + "].do.codegen",
                                    keyMarks.get(service.name())),
                            "services." + service.name() + ".watch[" + i + "].do.codegen",
                            "no codegen job named '" + codegenAction.job() + "'"
                                    + Suggestions.didYouMean(codegenAction.job(), jobNames)
                                    + ". Name a job under 'codegen'.");
                }
            }
        }
        proxy.ifPresent(p -> {
            for (RouteConfig route : p.routes()) {
                if (route.target() instanceof RouteConfig.ServiceTarget target
                        && services.containsKey(target.name())
                        && services.get(target.name()).port().isEmpty()
                        && !portMarks.containsKey(target.name())) {
                    problems.add(
                            referenceMarks.getOrDefault("proxy.routes." + route.prefix(), keyMarks.get(target.name())),
                            "proxy.routes." + route.prefix(),
                            "routes to service '" + target.name() + "', which declares no port. Add 'port: N' or"
                                    + " 'port: auto' to it.");
                }
            }
        });
    }

    private void checkPorts(Map<String, ServiceConfig> services, Optional<ProxyConfig> proxy, MapNode top) {
        Map<Integer, String> owners = new HashMap<>();
        for (ServiceConfig service : services.values()) {
            if (service.port().isEmpty() || service.autoPort()) {
                continue;
            }
            int port = service.port().getAsInt();
            String owner = owners.putIfAbsent(port, service.name());
            if (owner != null) {
                problems.add(
                        portMarks.get(service.name()),
                        "services." + service.name() + ".port",
                        "port " + port + " is also the port of service '" + owner + "' (line "
                                + portMarks.get(owner).line() + "). Give each service its own port, or write 'auto'.");
            }
        }
        proxy.filter(p -> !p.autoPort()).ifPresent(p -> {
            String owner = owners.get(p.port());
            if (owner != null) {
                Optional<Entry> proxyEntry = top.entry("proxy");
                Optional<Entry> portEntry = proxyEntry
                        .map(Entry::value)
                        .filter(MapNode.class::isInstance)
                        .map(MapNode.class::cast)
                        .flatMap(m -> m.entry("port"));
                Mark mark = portEntry
                        .map(e -> e.value().mark())
                        .orElseGet(() -> proxyEntry.map(Entry::keyMark).orElse(top.mark()));
                problems.add(
                        mark,
                        "proxy.port",
                        (portEntry.isPresent() ? "port " : "the proxy's default port ") + p.port()
                                + " is also the port of service '" + owner + "'. "
                                + (portEntry.isPresent()
                                        ? "Give the proxy its own port."
                                        : "Set proxy.port to a free port, such as " + (p.port() + 1) + "."));
            }
        });
    }

    /** Returns one cycle as its path of names, first name repeated at the end, or empty when there is none. */
    static Optional<List<String>> findCycle(Map<String, ServiceConfig> services) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the stack, 2: done
        for (String start : services.keySet()) {
            Optional<List<String>> cycle = visit(start, services, state, new ArrayList<>());
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

    // ---------------------------------------------------------------- scalars

    private Optional<Path> existingDirectory(Node node, String path, String scope) {
        return string(node, path, scope).flatMap(text -> {
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

    Optional<Duration> duration(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        Optional<Duration> parsed = node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING
                ? Durations.parse(String.valueOf(scalar.text()))
                : Optional.empty();
        if (parsed.isPresent() && parsed.get().isZero()) {
            problems.add(
                    node.mark(),
                    path,
                    "must be longer than 0, found " + node.describe() + ". Write a positive"
                            + " duration such as 500ms, or remove the key for the default.");
            return Optional.empty();
        }
        if (parsed.isEmpty()) {
            String hint = node instanceof ScalarNode scalar && scalar.type() == ScalarType.INTEGER
                    ? " Add the unit: " + scalar.text() + "s or " + scalar.text() + "ms."
                    : " Write a number and a unit (ms, s, m or h).";
            problems.add(
                    node.mark(),
                    path,
                    "expected a duration such as 500ms, 30s or 2m, found " + node.describe() + "." + hint);
            return Optional.empty();
        }
        return parsed;
    }

    private Optional<String> regex(Node node, String path, String scope) {
        return string(node, path, scope).flatMap(regex -> {
            try {
                Pattern.compile(regex);
                return Optional.of(regex);
            } catch (PatternSyntaxException e) {
                problems.add(
                        node.mark(),
                        path,
                        "not a valid regular expression: " + e.getDescription() + " near character "
                                + (e.getIndex() + 1) + " of \"" + regex + "\". Escape special characters with \\.");
                return Optional.empty();
            }
        });
    }

    private Optional<Integer> integer(Node raw, String path, int min, int max, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.INTEGER) {
            try {
                int value = Integer.parseInt(String.valueOf(scalar.text()));
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(
                node.mark(),
                path,
                "expected an integer " + min + "-" + max + ", found " + node.describe()
                        + ". Write a whole number in that range.");
        return Optional.empty();
    }

    private Optional<Boolean> bool(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.BOOLEAN) {
            return Optional.of(isTrue(scalar)); // YAML 1.1: yes, on and true; no, off and false
        }
        problems.add(node.mark(), path, "expected true or false, found " + node.describe() + ". Write true or false.");
        return Optional.empty();
    }

    /**
     * Returns the one entry of {@code choices} a mapping holds (a probe's check, a watch action, a codegen source).
     * Two are reported at the second, with {@code twoAdvice}; none is reported with {@code noneMessage}, unless an
     * unknown key (already reported, maybe a misspelling of a choice) explains it.
     */
    private Optional<Entry> oneOf(
            MapNode map, String path, List<String> choices, List<String> known, String twoAdvice, String noneMessage) {
        List<Entry> chosen =
                map.entries().stream().filter(e -> choices.contains(e.key())).collect(Collectors.toList());
        if (chosen.size() > 1) {
            problems.add(
                    chosen.get(1).keyMark(),
                    path,
                    "has both '" + chosen.get(0).key() + "' and '"
                            + chosen.get(1).key() + "'" + twoAdvice);
            return Optional.empty();
        }
        if (chosen.isEmpty()) {
            if (map.entries().stream().allMatch(e -> known.contains(e.key()))) {
                problems.add(map.mark(), path, noneMessage);
            }
            return Optional.empty();
        }
        return Optional.of(chosen.get(0));
    }

    /** Whether an unknown key of the mapping is a misspelling of {@code key}, already reported with the fix. */
    private static boolean misspelled(MapNode map, String key) {
        return map.entries().stream()
                .anyMatch(e -> !SERVICE_KEYS.contains(e.key())
                        && Suggestions.nearest(e.key(), SERVICE_KEYS)
                                .filter(key::equals)
                                .isPresent());
    }

    /** Whether a YAML 1.1 boolean is true: {@code true}, {@code yes}, {@code on}, {@code y}, in any case. */
    static boolean isTrue(ScalarNode scalar) {
        return List.of("true", "yes", "on", "y")
                .contains(String.valueOf(scalar.text()).toLowerCase(Locale.ROOT));
    }

    /** A string with references expanded. */
    @SuppressWarnings("ReferenceEquality") // raw != node asks "did interpolation make a new node", not equality
    Optional<String> string(Node raw, String path, String scope) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            return Optional.ofNullable(scalar.text());
        }
        if (node instanceof ScalarNode scalar && raw != node && scalar.text() != null) {
            return Optional.of(scalar.text()); // interpolated to a number or boolean: still text here
        }
        problems.add(node.mark(), path, "expected a string, found " + node.describe() + ". Write it as text.");
        return Optional.empty();
    }

    /** A string taken as written: names that refer to other parts of the file. */
    private Optional<String> plainString(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            return Optional.ofNullable(scalar.text());
        }
        problems.add(node.mark(), path, "expected a string, found " + node.describe() + ". Write it as text.");
        return Optional.empty();
    }

    private List<String> strings(Node node, String path, String scope) {
        if (!(node instanceof ListNode list)) {
            problems.add(node.mark(), path, "expected a list of strings, found " + node.describe() + ".");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            string(list.items().get(i), path + "[" + i + "]", scope).ifPresent(values::add);
        }
        return values;
    }

    private <E> Optional<E> keyword(Node raw, String path, E[] values, Function<E, String> word, String scope) {
        return keyword(raw, path, values, word, scope, "");
    }

    private <E> Optional<E> keyword(
            Node raw, String path, E[] values, Function<E, String> word, String scope, String alternatives) {
        Optional<Node> resolved = resolver.resolveForType(raw, scope, path);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Node node = resolved.get();
        List<String> words = Arrays.stream(values).map(word).collect(Collectors.toList());
        if (node instanceof ScalarNode scalar && scalar.type() == ScalarType.STRING) {
            for (E value : values) {
                if (word.apply(value).equals(scalar.text())) {
                    return Optional.of(value);
                }
            }
            problems.add(
                    node.mark(),
                    path,
                    "expected one of " + String.join(", ", words) + alternatives + ", found " + node.describe()
                            + Suggestions.didYouMean(String.valueOf(scalar.text()), words) + ". Write one of these.");
            return Optional.empty();
        }
        problems.add(
                node.mark(),
                path,
                "expected one of " + String.join(", ", words) + alternatives + ", found " + node.describe()
                        + ". Write one of these.");
        return Optional.empty();
    }

    void rejectUnknownKeys(MapNode map, String path, List<String> known) {
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
}
