package dev.farm.cli.internal;

import dev.farm.config.CodegenConfig;
import dev.farm.config.ConfigException;
import dev.farm.config.FarmConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.LogLine;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.spi.LogSink;
import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns what the watcher saw into what the stack does: each service's {@code watch} rules (restart, cascade, run a
 * command, run a codegen job, call the service's reload endpoint with a fallback), a codegen job's {@code on} globs
 * (run the job), a changed env file (restart the service), and a changed config file (reload it and give the services whose resolved config changed their new spec,
 * leaving the others running).
 *
 * <p>Called on the watcher's threads, never twice at once for one rule; an action blocks its rule until it is done
 * (a restart until the service is ready again), so changes made meanwhile are merged into the next run.
 */
public final class ChangePipeline implements ChangeWatcher.Listener {

    /** The rule that watches the config file itself. */
    static final String CONFIG_RULE = "config";

    /** The prefix of the rule that watches a codegen job's {@code on} globs; the job's name follows. */
    static final String CODEGEN_RULE = "codegen.";

    /** How long an http reload may take before its fallback runs. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** How long a restart or a cascade step may take before the pipeline goes on. */
    static final Duration RESTART_TIMEOUT = Duration.ofMinutes(5);

    private final ProcessSupervisor supervisor;
    private final Supplier<FarmConfig> reload;
    private final Consumer<String> say;
    private final LogSink lines;
    private final Clock clock;
    private final Consumer<String> codegen;
    /**
     * HTTP/1.1 only: the JDK's default (HTTP/2) sends "Upgrade: h2c" on plain http, and uvicorn without httptools
     * (Debian's python3-uvicorn) answers such a request 400 "Unsupported upgrade request.".
     */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private volatile FarmConfig config;
    private final Map<String, Binding> bindings;

    /** What one watch rule does. */
    private record Binding(String service, dev.farm.config.WatchRule.Action action) {}

    /**
     * Creates the pipeline.
     *
     * @param config the configuration the stack runs now
     * @param supervisor the running stack
     * @param reload reads the config file again; throws {@link ConfigException} when it is invalid
     * @param say prints one of farm's own lines
     * @param lines where a {@code run} command's output goes
     * @param clock times the commands it runs
     */
    public ChangePipeline(
            FarmConfig config,
            ProcessSupervisor supervisor,
            Supplier<FarmConfig> reload,
            Consumer<String> say,
            LogSink lines,
            Clock clock) {
        this(
                config,
                supervisor,
                reload,
                say,
                lines,
                clock,
                job -> say.accept(
                        "warning: codegen job '" + job + "' does not run here: this stack runs no codegen jobs"));
    }

    /**
     * Creates the pipeline with somewhere to send codegen requests.
     *
     * @param config the configuration the stack runs now
     * @param supervisor the running stack
     * @param reload reads the config file again; throws {@link ConfigException} when it is invalid
     * @param say prints one of farm's own lines
     * @param lines where a {@code run} command's output goes
     * @param clock times the commands it runs
     * @param codegen asks for a run of the codegen job of that name (its {@code on} globs changed, or a watch rule
     *     says {@code { codegen: NAME }}); must return at once
     */
    public ChangePipeline(
            FarmConfig config,
            ProcessSupervisor supervisor,
            Supplier<FarmConfig> reload,
            Consumer<String> say,
            LogSink lines,
            Clock clock,
            Consumer<String> codegen) {
        this.codegen = codegen;
        this.config = config;
        this.supervisor = supervisor;
        this.reload = reload;
        this.say = say;
        this.lines = lines;
        this.clock = clock;
        this.bindings = bindings(config);
    }

    /**
     * Returns the watch rules for a configuration: every service's {@code watch} entries, its env files, each codegen
     * job's {@code on} globs, and the config file.
     *
     * @param config the configuration
     * @return the rules, named so that {@link #changed(ChangeBatch)} knows what each does
     */
    public static List<WatchRule> rules(FarmConfig config) {
        List<WatchRule> rules = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            List<dev.farm.config.WatchRule> watch = service.watch();
            for (int i = 0; i < watch.size(); i++) {
                dev.farm.config.WatchRule rule = watch.get(i);
                rules.add(new WatchRule(
                        watchName(service.name(), i), rule.base().toAbsolutePath(), rule.paths(), rule.ignore()));
            }
            List<Path> envFiles = service.environment().files();
            for (int i = 0; i < envFiles.size(); i++) {
                Path file = envFiles.get(i).toAbsolutePath().normalize();
                rules.add(new WatchRule(
                        envName(service.name(), i),
                        file.getParent(),
                        List.of(file.getFileName().toString()),
                        List.of()));
            }
        }
        for (CodegenConfig job : config.codegen().values()) {
            if (!job.on().isEmpty()) {
                rules.add(new WatchRule(
                        CODEGEN_RULE + job.name(), config.directory().toAbsolutePath(), job.on(), List.of()));
            }
        }
        Path source = config.source().toAbsolutePath().normalize();
        rules.add(new WatchRule(
                CONFIG_RULE, source.getParent(), List.of(source.getFileName().toString()), List.of()));
        return rules;
    }

    private static Map<String, Binding> bindings(FarmConfig config) {
        Map<String, Binding> bindings = new LinkedHashMap<>();
        for (ServiceConfig service : config.services().values()) {
            List<dev.farm.config.WatchRule> watch = service.watch();
            for (int i = 0; i < watch.size(); i++) {
                bindings.put(
                        watchName(service.name(), i),
                        new Binding(service.name(), watch.get(i).action()));
            }
            for (int i = 0; i < service.environment().files().size(); i++) {
                bindings.put(
                        envName(service.name(), i),
                        new Binding(service.name(), new dev.farm.config.WatchRule.Restart()));
            }
        }
        return bindings;
    }

    private static String watchName(String service, int index) {
        return "services." + service + ".watch[" + index + "]";
    }

    private static String envName(String service, int index) {
        return "services." + service + ".env_file[" + index + "]";
    }

    @Override
    public void changed(ChangeBatch batch) {
        if (batch.rule().equals(CONFIG_RULE)) {
            reloadConfig();
            return;
        }
        if (batch.rule().startsWith(CODEGEN_RULE)) {
            String job = batch.rule().substring(CODEGEN_RULE.length());
            say.accept("codegen " + job + ": " + describe(batch) + " changed");
            codegen.accept(job);
            return;
        }
        Binding binding = bindings.get(batch.rule());
        if (binding == null) {
            return; // a rule of a config this pipeline no longer runs
        }
        say.accept(binding.service() + ": " + describe(batch) + " changed");
        act(binding.service(), binding.action(), batch);
    }

    @Override
    public void paused(String rule, Set<Path> paths) {
        say.accept("warning: " + rule + " keeps firing, probably because its own action changes "
                + paths.stream().map(Path::toString).sorted().collect(Collectors.joining(", "))
                + "; it is paused until you edit one of its files. Exclude what the action writes from its paths.");
    }

    private static String describe(ChangeBatch batch) {
        if (batch.rescan()) {
            return "files (events were lost, everything rescanned)";
        }
        List<String> names = batch.paths().stream()
                .map(p -> p.getFileName().toString())
                .sorted()
                .collect(Collectors.toList());
        return names.size() <= 3
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    private void act(String service, dev.farm.config.WatchRule.Action action, ChangeBatch batch) {
        if (action instanceof dev.farm.config.WatchRule.Restart) {
            await(service, supervisor.restart(service), "restart");
        } else if (action instanceof dev.farm.config.WatchRule.Cascade) {
            for (String name : cascade(service)) {
                if (!await(name, supervisor.restart(name), "restart")) {
                    say.accept(service + ": cascade stopped at " + name + ", which did not become ready");
                    return;
                }
            }
        } else if (action instanceof dev.farm.config.WatchRule.Run run) {
            runCommand(service, run.command());
        } else if (action instanceof dev.farm.config.WatchRule.Codegen codegen) {
            this.codegen.accept(codegen.job());
        } else if (action instanceof dev.farm.config.WatchRule.Http call) {
            if (!callService(service, call)) {
                dev.farm.config.WatchRule.Action fallback =
                        call.fallback().orElse(new dev.farm.config.WatchRule.Restart());
                say.accept(service + ": falling back to " + describe(fallback));
                act(service, fallback, batch);
            }
        }
    }

    private static String describe(dev.farm.config.WatchRule.Action action) {
        if (action instanceof dev.farm.config.WatchRule.Restart) {
            return "restart";
        }
        if (action instanceof dev.farm.config.WatchRule.Cascade) {
            return "cascade";
        }
        return action.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The service, then everything that depends on it, directly or not, in start order. */
    List<String> cascade(String service) {
        FarmConfig now = config;
        Set<String> affected = new LinkedHashSet<>();
        affected.add(service);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ServiceConfig candidate : now.services().values()) {
                if (!affected.contains(candidate.name())
                        && candidate.dependsOn().keySet().stream().anyMatch(affected::contains)) {
                    affected.add(candidate.name());
                    grew = true;
                }
            }
        }
        List<String> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (order.size() < affected.size()) {
            for (String name : affected) {
                if (!placed.contains(name)
                        && now.services().get(name).dependsOn().keySet().stream()
                                .filter(affected::contains)
                                .allMatch(placed::contains)) {
                    order.add(name);
                    placed.add(name);
                }
            }
        }
        return order;
    }

    /** Waits for a restart; says what went wrong when it did not become ready. */
    private boolean await(String service, CompletableFuture<Void> step, String what) {
        try {
            step.get(RESTART_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            say.accept(service + ": " + what + " failed: " + cause.getMessage());
        } catch (TimeoutException e) {
            say.accept(service + ": " + what + " still not done after " + RESTART_TIMEOUT.toMinutes() + " min");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Runs a one-shot command in the service's folder and environment; its output goes to the service's log. */
    private void runCommand(String service, dev.farm.config.Command command) {
        ServiceConfig config = this.config.services().get(service);
        List<String> argv = SpecTranslator.argv(command);
        String shown = command instanceof dev.farm.config.Command.Shell shell ? shell.script() : String.join(" ", argv);
        say.accept(service + ": running " + shown);
        Instant begin = clock.instant();
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(config.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File(java.io.File.separatorChar == '\\' ? "NUL" : "/dev/null")));
        builder.environment().putAll(config.environment().reload());
        try {
            Process process = builder.start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.accept(new LogLine(service, LogLine.Stream.STDOUT, line, clock.instant()));
                }
            }
            int code = process.waitFor();
            say.accept(service + ": " + shown + " exited with " + code + " after "
                    + TerminalOutput.seconds(Duration.between(begin, clock.instant())));
        } catch (IOException e) {
            say.accept(service + ": cannot run " + shown + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls the service's own reload endpoint; true when it answered 2xx. */
    private boolean callService(String service, dev.farm.config.WatchRule.Http call) {
        ServiceConfig config = this.config.services().get(service);
        if (config.port().isEmpty()) {
            say.accept(service + ": cannot call " + call.method() + " " + call.path() + ": the service has no port");
            return false;
        }
        URI uri = URI.create("http://127.0.0.1:" + config.port().getAsInt() + call.path());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(HTTP_TIMEOUT)
                .method(call.method(), HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                say.accept(service + ": reloaded (" + call.method() + " " + call.path() + " answered "
                        + response.statusCode() + ")");
                return true;
            }
            say.accept(service + ": " + call.method() + " " + call.path() + " answered " + response.statusCode());
        } catch (IOException e) {
            say.accept(service + ": " + call.method() + " " + call.path() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Reads the config file again; services whose resolved config changed get their new spec, the others keep
     * running untouched. A config with mistakes is reported and the stack goes on as it was.
     */
    private void reloadConfig() {
        FarmConfig fresh;
        try {
            fresh = reload.get();
        } catch (ConfigException e) {
            say.accept("warning: " + config.source() + " changed but has mistakes; the stack goes on as it was:\n"
                    + e.getMessage());
            return;
        }
        FarmConfig old = config;
        List<String> changed = new ArrayList<>();
        for (ServiceConfig service : fresh.services().values()) {
            ServiceConfig before = old.services().get(service.name());
            if (before == null) {
                say.accept("warning: " + config.source() + " adds service '" + service.name()
                        + "'; restart farm dev to start it");
            } else if (!before.equals(withModels(service, before.models()))) {
                changed.add(service.name());
            } // a change of models alone restarts nothing: ModelPulls pulls the new ones
        }
        for (String name : old.services().keySet()) {
            if (!fresh.services().containsKey(name)) {
                say.accept("warning: " + config.source() + " removes service '" + name
                        + "'; it keeps running until farm dev stops");
            }
        }
        if (changed.isEmpty()) {
            say.accept(config.source() + " changed; no service's config did");
            this.config = fresh;
            return;
        }
        say.accept(config.source() + " changed: restarting " + String.join(", ", changed));
        this.config = fresh;
        for (String name : changed) {
            await(
                    name,
                    supervisor.update(SpecTranslator.translate(fresh.services().get(name))),
                    "update");
        }
    }

    /** The same service with other models; restarting Ollama for a model list would unload what it runs. */
    private static ServiceConfig withModels(ServiceConfig s, List<String> models) {
        return StackSelection.copy(s, s.dependsOn(), s.restart(), models);
    }

    /**
     * Returns the configuration the pipeline acts on now, after any reload.
     *
     * @return the configuration
     */
    public FarmConfig config() {
        return Objects.requireNonNull(config);
    }
}
