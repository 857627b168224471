package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The FARM preset: turns the object a FARM {@code farm.config.js} exports into the tree a {@code farm.yaml} with the
 * same meaning would parse to, so the one binder validates both.
 *
 * <p>The FARM stack is fixed: a database run with {@code docker compose} (MongoDB, or PostgreSQL when
 * {@code database.type} says so), Ollama when {@code features} has {@code ai} and {@code ai.providers.ollama.enabled}
 * is true, a FastAPI backend run by uvicorn in {@code apps/api}, a Vite frontend in {@code apps/web}, the proxy routes
 * of the original FARM dev server and a codegen job from the backend's {@code /openapi.json}. The FARM object only
 * chooses the database, whether Ollama runs and with which models, the ports ({@code development.ports}) and the
 * project's name; every other key is ignored. Absent and {@code null} keys take the defaults of FARM's
 * {@code getDefaultConfig()}.
 *
 * <p>The result holds only {@link LinkedHashMap} (keys in a fixed order), {@link ArrayList}, {@link String},
 * {@link Integer} and {@link Boolean}. Strings such as {@code ${port}} are kept verbatim for the binder to
 * interpolate.
 */
public final class FarmPreset {

    /** The values {@code database.type} may take, lower case. */
    static final List<String> DATABASE_TYPES = List.of("mongodb", "postgresql", "postgres");

    private static final int MONGODB_PORT = 27017;
    private static final int POSTGRES_PORT = 5432;
    private static final int OLLAMA_PORT = 11434;
    private static final int BACKEND_PORT = 8000;
    private static final int FRONTEND_PORT = 3000;
    private static final int PROXY_PORT = 4000;
    private static final int MAX_SHOWN_LENGTH = 60;

    private final Path file;
    private final String fileName;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private FarmPreset(Path file) {
        this.file = file;
        this.fileName = String.valueOf(file.getFileName());
    }

    /**
     * Expands an evaluated FARM config into a {@code farm.yaml}-shaped tree.
     *
     * @param file the FARM config file, as the user named it; problems name it
     * @param farmConfig the object the file exports, as JSON-like values ({@link Map}, {@link List}, {@link String},
     *     {@link Number}, {@link Boolean}, {@code null})
     * @param defaultName the project's name when the FARM config has none, usually the project folder's name
     * @return a new mutable tree with the keys {@code name}, {@code services}, {@code proxy} and {@code codegen}
     * @throws ConfigException listing every value of the wrong type or out of range, in the order the keys are read
     */
    public static Map<String, Object> expand(Path file, Map<String, ?> farmConfig, String defaultName) {
        return new FarmPreset(file).expand(farmConfig, defaultName);
    }

    private Map<String, Object> expand(Map<String, ?> farm, String defaultName) {
        String name = name(farm.get("name"), defaultName);
        boolean aiFeature =
                strings(farm.get("features"), "features", "['auth', 'ai']").contains("ai");
        Database database = database(farm.get("database"));
        Ollama ollama = ollama(farm.get("ai"));
        Map<String, ?> ports = object(farm.get("development"), "development", "{ ports: { backend: 8000 } }")
                .flatMap(development ->
                        object(development.get("ports"), "development.ports", "{ backend: 8000, proxy: 4000 }"))
                .orElse(Map.of());
        int databasePort = port(ports, "database", database.defaultPort());
        int ollamaPort = port(ports, "ollama", OLLAMA_PORT);
        int backendPort = port(ports, "backend", BACKEND_PORT);
        int frontendPort = port(ports, "frontend", FRONTEND_PORT);
        int proxyPort = port(ports, "proxy", PROXY_PORT);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, null);
        }
        boolean withOllama = aiFeature && ollama.enabled();

        Map<String, Object> services = new LinkedHashMap<>();
        services.put("database", databaseService(database, databasePort));
        if (withOllama) {
            services.put("ollama", ollamaService(ollama, ollamaPort));
        }
        services.put("backend", backendService(backendPort, withOllama));
        services.put("frontend", frontendService(frontendPort));

        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", name);
        tree.put("services", services);
        tree.put("proxy", proxy(proxyPort, withOllama));
        tree.put("codegen", codegen());
        return tree;
    }

    // ---- the services

    private static Map<String, Object> databaseService(Database database, int port) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("kind", "daemon");
        service.put("start", "docker compose up -d " + database.composeService());
        service.put("stop", "docker compose stop " + database.composeService());
        service.put("port", port);
        service.put("ready", map("tcp", port));
        service.put("adopt", true);
        return service;
    }

    private static Map<String, Object> ollamaService(Ollama ollama, int port) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("preset", "ollama");
        service.put("port", port);
        if (!ollama.models().isEmpty()) {
            service.put("models", new ArrayList<>(ollama.models()));
        }
        service.put("adopt", true);
        return service;
    }

    private static Map<String, Object> backendService(int port, boolean withOllama) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("FARM_ENV", "development");
        env.put("PYTHONPATH", ".");
        Map<String, Object> dependsOn = new LinkedHashMap<>();
        dependsOn.put("database", "ready");
        if (withOllama) {
            env.put("OLLAMA_URL", "http://127.0.0.1:${services.ollama.port}");
            dependsOn.put("ollama", "ready");
        }
        Map<String, Object> service = new LinkedHashMap<>();
        // No --reload: farm's watch rule restarts it, so there is one reloader, not two.
        service.put("command", "uvicorn src.main:app --host 127.0.0.1 --port ${port}");
        service.put("cwd", "apps/api");
        service.put("port", port);
        service.put("env", env);
        service.put("ready", map("http", "/health"));
        service.put("depends_on", dependsOn);
        service.put("watch", watchRestart("src/**/*.py"));
        return service;
    }

    private static Map<String, Object> frontendService(int port) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("command", "npm run dev -- --port ${port} --strictPort");
        service.put("cwd", "apps/web");
        service.put("port", port);
        service.put("ready", map("http", "/"));
        service.put("depends_on", map("backend", "ready"));
        // Vite reloads the code itself; only a change of its own configuration needs a restart.
        service.put("watch", watchRestart("vite.config.ts"));
        return service;
    }

    private static List<Object> watchRestart(String glob) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("paths", list(glob));
        rule.put("do", "restart");
        return list(rule);
    }

    private static Map<String, Object> proxy(int port, boolean withOllama) {
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("/api", "backend");
        if (withOllama) {
            Map<String, Object> ollama = new LinkedHashMap<>();
            ollama.put("to", "ollama");
            ollama.put("rewrite", "/api");
            routes.put("/ollama", ollama);
        }
        Map<String, Object> ws = new LinkedHashMap<>();
        ws.put("to", "backend");
        ws.put("websocket", true);
        routes.put("/ws", ws);
        routes.put("/", "frontend");
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("port", port);
        proxy.put("routes", routes);
        return proxy;
    }

    private static Map<String, Object> codegen() {
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("service", "backend");
        from.put("path", "/openapi.json");
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("from", from);
        job.put("out", "apps/web/src/api/generated.ts");
        job.put("on", list("apps/api/src/models/**/*.py", "apps/api/src/routes/**/*.py"));
        return map("api-types", job);
    }

    // ---- reading the FARM object

    /** The database the preset runs: its docker compose service and its usual port. */
    private record Database(String composeService, int defaultPort) {}

    /** What the preset needs from {@code ai.providers.ollama}. */
    private record Ollama(boolean enabled, Set<String> models) {}

    private String name(@Nullable Object value, String defaultName) {
        if (value == null) {
            return defaultName;
        }
        if (value instanceof String name && !name.isBlank()) {
            return name;
        }
        problem(
                "name",
                "expected a non-empty string, found " + describe(value) + ". Fix the value in " + fileName
                        + ", or remove it to use the folder's name.");
        return defaultName;
    }

    private Database database(@Nullable Object value) {
        Database mongodb = new Database("mongodb", MONGODB_PORT);
        Optional<Map<String, ?>> database = object(value, "database", "{ type: 'postgresql' }");
        if (database.isEmpty() || database.get().get("type") == null) {
            return mongodb;
        }
        Object type = database.get().get("type");
        String word = type instanceof String text ? text.trim().toLowerCase(Locale.ROOT) : "";
        return switch (word) {
            case "mongodb" -> mongodb;
            case "postgresql", "postgres" -> new Database("postgres", POSTGRES_PORT);
            default -> {
                problem(
                        "database.type",
                        "expected one of " + String.join(", ", DATABASE_TYPES) + ", found " + describe(type)
                                + ". The FARM preset runs only MongoDB and PostgreSQL, with docker compose; fix the"
                                + " value in " + fileName + ", or write farm.yaml to run another database (see"
                                + " docs/config.md).");
                yield mongodb;
            }
        };
    }

    private Ollama ollama(@Nullable Object ai) {
        Optional<Map<String, ?>> ollama = object(ai, "ai", "{ providers: { ollama: { enabled: true } } }")
                .flatMap(a -> object(a.get("providers"), "ai.providers", "{ ollama: { enabled: true } }"))
                .flatMap(
                        p -> object(p.get("ollama"), "ai.providers.ollama", "{ enabled: true, models: ['llama3.1'] }"));
        if (ollama.isEmpty()) {
            return new Ollama(false, Set.of());
        }
        String path = "ai.providers.ollama";
        boolean enabled = bool(ollama.get().get("enabled"), path + ".enabled");
        Set<String> models = new LinkedHashSet<>();
        models.addAll(strings(ollama.get().get("models"), path + ".models", "['llama3.1']"));
        models.addAll(strings(ollama.get().get("autoPull"), path + ".autoPull", "['llama3.1']"));
        return new Ollama(enabled, models);
    }

    @SuppressWarnings("unchecked") // a JSON object's keys are strings
    private Optional<Map<String, ?>> object(@Nullable Object value, String path, String example) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> map) {
            return Optional.of((Map<String, ?>) map);
        }
        problem(
                path,
                "expected an object such as " + example + ", found " + describe(value) + ". Fix the value in "
                        + fileName + ".");
        return Optional.empty();
    }

    private List<String> strings(@Nullable Object value, String path, String example) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(
                    path,
                    "expected a list of strings such as " + example + ", found " + describe(value)
                            + ". Fix the value in " + fileName + ".");
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof String text) {
                strings.add(text);
            } else {
                problem(
                        path + "[" + i + "]",
                        "expected a string, found " + describe(item) + ". Fix the value in " + fileName + ".");
            }
        }
        return strings;
    }

    private boolean bool(@Nullable Object value, String path) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        problem(path, "expected true or false, found " + describe(value) + ". Fix the value in " + fileName + ".");
        return false;
    }

    /**
     * Reads {@code development.ports.<key>}: an integer 1-65535, or a string of digits (a value taken from
     * {@code process.env} is one).
     */
    private int port(Map<String, ?> ports, String key, int defaultPort) {
        Object value = ports.get(key);
        if (value == null) {
            return defaultPort;
        }
        Optional<BigInteger> number = Optional.empty();
        if (value instanceof String text && text.trim().matches("[0-9]{1,9}")) {
            number = Optional.of(new BigInteger(text.trim()));
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            number = Optional.of(new BigInteger(value.toString()));
        } else if (value instanceof Number n) {
            try {
                number = Optional.of(new BigDecimal(n.toString()).toBigIntegerExact());
            } catch (ArithmeticException | NumberFormatException e) {
                // a fraction, NaN or an infinity: reported below
            }
        }
        if (number.isPresent()
                && number.get().compareTo(BigInteger.ONE) >= 0
                && number.get().compareTo(BigInteger.valueOf(65535)) <= 0) {
            return number.get().intValue();
        }
        problem(
                "development.ports." + key,
                "expected an integer 1-65535, found " + describe(value) + ". Fix the value in " + fileName + ".");
        return defaultPort;
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(file, 0, 0, path, message));
    }

    /** Describes a value the way a message says what it found: {@code "80a"}, {@code 80}, {@code a list}. */
    static String describe(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            String shown = text.length() > MAX_SHOWN_LENGTH ? text.substring(0, MAX_SHOWN_LENGTH) + "..." : text;
            return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> map(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(List.of(items));
    }
}
