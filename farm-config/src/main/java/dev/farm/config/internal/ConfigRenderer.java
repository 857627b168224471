package dev.farm.config.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.farm.config.CodegenConfig;
import dev.farm.config.Command;
import dev.farm.config.Dependency;
import dev.farm.config.DependencyCondition;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ProxyConfig;
import dev.farm.config.RestartPolicy;
import dev.farm.config.RouteConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.WatchRule;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Renders a resolved configuration with the same key names as {@code farm.yaml}, as JSON or YAML, with paths
 * relative to the project folder and secrets masked.
 *
 * <p>A variable is a secret when a part of its name is one of the words of {@link #SECRET}; parts are separated by
 * {@code _}, {@code -}, {@code .} or a camelCase boundary, so {@code API_KEY}, {@code GITHUB_TOKEN},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code apiKey} are secrets, and {@code MONKEY}, {@code KEYCLOAK_URL} and
 * {@code TOKENIZER_MODE} are not. A secret's value is masked in its service's {@code env}, and, when it has at least
 * {@value #MIN_SECRET_LENGTH} characters, wherever else it appears in the output: other variables, commands, probe
 * URLs, route URLs, watch commands, any service's. The password of a URL's user information
 * ({@code scheme://user:password@host}) is masked in every string too.
 */
public final class ConfigRenderer {

    /** The words that make a variable name, one of whose parts is such a word, a secret's. */
    public static final Pattern SECRET = Pattern.compile(
            "(?i)(?:^|_)(?:SECRETS?|TOKENS?|PASSWORDS?|PASSWD|PASS|PASSPHRASE|KEYS?|APIKEY|CREDENTIALS?|PRIVATE)"
                    + "(?:_|$)");

    /** What a masked value shows. */
    public static final String MASK = "********";

    /**
     * How long a secret's value must be to be masked outside its own variable; shorter values, such as {@code 1} or
     * {@code yes}, would mask harmless text everywhere.
     */
    public static final int MIN_SECRET_LENGTH = 4;

    private static final Pattern CAMEL_CASE = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern NAME_SEPARATOR = Pattern.compile("[-.]");
    /** The user information of a URL with a password: {@code scheme://user:password@}; group 2 is the password. */
    private static final Pattern URL_PASSWORD =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@?#]*):([^\\s/@?#]+)@");

    private ConfigRenderer() {}

    /**
     * Renders as pretty-printed JSON with a trailing newline.
     *
     * @param config the configuration
     * @return the JSON text
     */
    public static String json(FarmConfig config) {
        return json(config, Map.of());
    }

    /**
     * Renders as pretty-printed JSON, also masking the values of secret-named variables of farm's own environment.
     *
     * @param config the configuration
     * @param environment farm's own environment, whose secrets a {@code ${VAR}} may have copied into the config
     * @return the JSON text
     */
    public static String json(FarmConfig config, Map<String, String> environment) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = TreeFormat.JSON.createGenerator(out)) {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
            generator.setPrettyPrinter(printer);
            write(generator, tree(config), masker(config, environment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /**
     * Renders as YAML.
     *
     * @param config the configuration
     * @return the YAML text
     */
    public static String yaml(FarmConfig config) {
        return yaml(config, Map.of());
    }

    /**
     * Renders as YAML, also masking the values of secret-named variables of farm's own environment.
     *
     * @param config the configuration
     * @param environment farm's own environment, whose secrets a {@code ${VAR}} may have copied into the config
     * @return the YAML text
     */
    public static String yaml(FarmConfig config, Map<String, String> environment) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build()
                .createGenerator(out)) {
            write(generator, tree(config), masker(config, environment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The configuration as plain maps and lists, in farm.yaml's shape and key order. */
    static Map<String, Object> tree(FarmConfig config) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("name", config.name());
        top.put("directory", config.directory().toString());
        top.put("source", config.source().toString());
        top.put("profile", config.profile());
        Map<String, Object> services = new LinkedHashMap<>();
        config.services().forEach((name, service) -> services.put(name, service(config.directory(), service)));
        top.put("services", services);
        config.proxy().ifPresent(proxy -> top.put("proxy", proxy(proxy)));
        if (!config.codegen().isEmpty()) {
            Map<String, Object> jobs = new LinkedHashMap<>();
            config.codegen().forEach((name, job) -> jobs.put(name, codegen(config.directory(), job)));
            top.put("codegen", jobs);
        }
        if (!config.profiles().isEmpty()) {
            top.put("profiles", config.profiles());
        }
        return top;
    }

    private static Map<String, Object> service(Path directory, ServiceConfig service) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", service.kind().keyword());
        service.command()
                .ifPresent(c -> out.put(
                        service.kind() == dev.farm.config.ServiceKind.DAEMON ? "start" : "command", command(c)));
        service.stop().ifPresent(c -> out.put("stop", command(c)));
        out.put("cwd", relative(directory, service.workingDirectory()));
        Map<String, Object> env = new LinkedHashMap<>();
        service.environment().values().forEach((k, v) -> env.put(k, isSecret(k) ? MASK : v));
        out.put("env", env);
        if (!service.environment().files().isEmpty()) {
            List<Object> files = new ArrayList<>();
            service.environment().files().forEach(f -> files.add(relative(directory, f)));
            out.put("env_file", files);
        }
        service.port().ifPresent(p -> out.put("port", p));
        if (service.autoPort()) {
            out.put("port_picked", "auto");
        }
        service.ready().ifPresent(p -> out.put("ready", probe(p)));
        service.alive().ifPresent(p -> out.put("alive", probe(p)));
        if (!service.dependsOn().isEmpty()) {
            Map<String, Object> dependsOn = new LinkedHashMap<>();
            service.dependsOn().forEach((name, dependency) -> dependsOn.put(name, dependency(dependency)));
            out.put("depends_on", dependsOn);
        }
        out.put("restart", restart(service.restart()));
        out.put("stop_signal", service.stopSignal());
        out.put("stop_timeout", Durations.format(service.stopTimeout()));
        out.put("success_exit_codes", service.successExitCodes());
        out.put("adopt", service.adopt());
        if (service.optional()) {
            out.put("optional", true);
        }
        if (!service.watch().isEmpty()) {
            List<Object> rules = new ArrayList<>();
            for (WatchRule rule : service.watch()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("paths", rule.paths());
                if (!rule.ignore().isEmpty()) {
                    r.put("ignore", rule.ignore());
                }
                r.put("do", action(rule.action()));
                rules.add(r);
            }
            out.put("watch", rules);
        }
        service.preset().ifPresent(p -> out.put("preset", p));
        if (!service.models().isEmpty()) {
            out.put("models", service.models());
        }
        service.group().ifPresent(g -> out.put("group", g));
        service.setup().ifPresent(c -> out.put("setup", command(c)));
        return out;
    }

    private static Object command(Command command) {
        return command instanceof Command.Shell shell ? shell.script() : ((Command.Exec) command).argv();
    }

    private static Map<String, Object> probe(ProbeConfig probe) {
        Map<String, Object> out = new LinkedHashMap<>();
        ProbeConfig.Check check = probe.check();
        if (check instanceof ProbeConfig.Tcp tcp) {
            out.put("tcp", tcp.port());
        } else if (check instanceof ProbeConfig.Http http) {
            out.put("http", http.url().toString());
            out.put("method", http.method());
            if (!http.statuses().isEmpty()) {
                out.put("status", http.statuses());
            }
        } else if (check instanceof ProbeConfig.LogLine log) {
            out.put("log", log.regex());
        } else if (check instanceof ProbeConfig.Exec exec) {
            out.put("exec", command(exec.command()));
        } else if (check instanceof ProbeConfig.Heartbeat heartbeat) {
            out.put("heartbeat", Durations.format(heartbeat.interval()));
        }
        out.put("timeout", Durations.format(probe.timeout()));
        probe.every().ifPresent(e -> out.put("every", Durations.format(e)));
        if (probe.failures() > 1) {
            out.put("failures", probe.failures());
        }
        return out;
    }

    private static Object dependency(Dependency dependency) {
        if (dependency.condition() == DependencyCondition.LOG) {
            return Map.of("log", dependency.logPattern().orElseThrow());
        }
        return dependency.condition().keyword();
    }

    private static Map<String, Object> restart(RestartPolicy restart) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("when", restart.when().keyword());
        out.put("max", restart.max());
        out.put("backoff", range(restart.backoffMin(), restart.backoffMax()));
        out.put("reset_after", Durations.format(restart.resetAfter()));
        return out;
    }

    private static String range(Duration min, Duration max) {
        return Durations.format(min) + ".." + Durations.format(max);
    }

    private static Object action(WatchRule.Action action) {
        if (action instanceof WatchRule.Restart) {
            return "restart";
        }
        if (action instanceof WatchRule.Cascade) {
            return "cascade";
        }
        if (action instanceof WatchRule.Run run) {
            return Map.of("run", command(run.command()));
        }
        if (action instanceof WatchRule.Codegen codegen) {
            return Map.of("codegen", codegen.job());
        }
        WatchRule.Http http = (WatchRule.Http) action;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("http", http.method() + " " + http.path());
        http.fallback().ifPresent(f -> out.put("fallback", action(f)));
        return out;
    }

    private static Map<String, Object> proxy(ProxyConfig proxy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("port", proxy.port());
        if (proxy.autoPort()) {
            out.put("port_picked", "auto");
        }
        out.put("hold", Durations.format(proxy.hold()));
        Map<String, Object> routes = new LinkedHashMap<>();
        for (RouteConfig route : proxy.routes()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(
                    "to",
                    route.target() instanceof RouteConfig.ServiceTarget service
                            ? service.name()
                            : ((RouteConfig.UrlTarget) route.target()).url().toString());
            route.rewrite().ifPresent(w -> r.put("rewrite", w));
            r.put("websocket", route.websocket());
            route.hold().ifPresent(h -> r.put("hold", Durations.format(h)));
            routes.put(route.prefix(), r);
        }
        out.put("routes", routes);
        return out;
    }

    private static Map<String, Object> codegen(Path directory, CodegenConfig job) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> from = new LinkedHashMap<>();
        if (job.from() instanceof CodegenConfig.FromService service) {
            from.put("service", service.service());
            from.put("path", service.path());
        } else if (job.from() instanceof CodegenConfig.FromFile file) {
            from.put("file", relative(directory, file.file()));
        } else {
            from.put("command", command(((CodegenConfig.FromCommand) job.from()).command()));
        }
        out.put("from", from);
        out.put("out", relative(directory, job.out()));
        out.put("on", job.on());
        out.put("client", job.client());
        return out;
    }

    private static String relative(Path directory, Path path) {
        if (path.startsWith(directory)) {
            String relative = directory.relativize(path).toString();
            return relative.isEmpty() ? "." : relative;
        }
        return path.toString();
    }

    /**
     * Whether a variable with this name holds a secret: one of the name's parts, split at {@code _}, {@code -},
     * {@code .} and camelCase boundaries, is a word of {@link #SECRET}.
     *
     * @param name a variable name, such as {@code DB_PASSWORD}
     * @return whether its value is masked
     */
    public static boolean isSecret(String name) {
        String parts =
                NAME_SEPARATOR.matcher(CAMEL_CASE.matcher(name).replaceAll("_")).replaceAll("_");
        return SECRET.matcher(parts).find();
    }

    /**
     * Masks, in any rendered string, the secrets' values and the passwords of URLs.
     *
     * @param secrets the values to mask; the longest is tried first, so one that contains another is masked whole
     * @param text a string about to be printed
     * @return the text with {@link #MASK} in their place
     */
    static String mask(@Nullable Pattern secrets, String text) {
        String masked = secrets == null ? text : secrets.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
        return URL_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
    }

    /** The values of every service's secret variables long enough to mask elsewhere, as one pattern. */
    private static UnaryOperator<String> masker(FarmConfig config, Map<String, String> environment) {
        Set<String> values = new TreeSet<>(
                Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        environment.forEach((name, value) -> {
            if (value.length() >= MIN_SECRET_LENGTH && !MASK.contains(value) && isSecret(name)) {
                values.add(value);
            }
        });
        for (ServiceConfig service : config.services().values()) {
            service.environment().values().forEach((name, value) -> {
                if (value.length() >= MIN_SECRET_LENGTH && !MASK.contains(value) && isSecret(name)) {
                    values.add(value);
                }
            });
        }
        Pattern secrets = values.isEmpty()
                ? null
                : Pattern.compile(values.stream().map(Pattern::quote).collect(Collectors.joining("|")));
        return text -> mask(secrets, text);
    }

    private static void write(JsonGenerator generator, @Nullable Object value, UnaryOperator<String> masker)
            throws IOException {
        if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                write(generator, entry.getValue(), masker);
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                write(generator, item, masker);
            }
            generator.writeEndArray();
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value == null) {
            generator.writeNull();
        } else {
            generator.writeString(masker.apply(value.toString()));
        }
    }
}
