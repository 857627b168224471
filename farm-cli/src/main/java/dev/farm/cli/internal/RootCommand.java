package dev.farm.cli.internal;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code farm}: the options every command shares. */
@Command(
        name = "farm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs a developer's whole stack with one command: every service started in dependency order,"
                + " gated on readiness, its output merged, and nothing left running when farm stops.",
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid config, 4 a service failed to start."})
public final class RootCommand implements Callable<Integer> {

    /**
     * farm's commands, in the order {@code farm --help} lists them; add a new one at the end. They are not in the
     * {@code @Command} annotation because {@link Cli} registers them lazily: only the one the command line names, so
     * {@code farm ps} does not build the model of every other command first.
     */
    static final List<Class<?>> COMMANDS = List.of(
            DevCommand.class,
            ServeCommand.class,
            PsCommand.class,
            LogsCommand.class,
            ServiceActionCommand.Restart.class,
            ServiceActionCommand.Stop.class,
            ServiceActionCommand.Start.class,
            DownCommand.class,
            DomainsCommand.class,
            ConfigCommand.class,
            CodegenCommand.class,
            DoctorCommand.class,
            CompletionCommand.class);

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = {"-C", "--directory"},
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Run as if farm was started in DIR (the project folder).")
    @Nullable
    Path directory;

    @Option(
            names = {"-f", "--file"},
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            preprocessor = FileOrFollow.class,
            description = "The config file (default: farm.yaml or farm.yml in the project folder). After logs, -f is"
                    + " --follow, as in tail -f: give the file before the command (farm -f FILE logs -f).")
    @Nullable
    Path file;

    /**
     * {@code -f} is the config file, except after {@code logs}, where it means follow, as in {@code tail -f} and
     * {@code docker compose logs -f}. picocli does not tell which spelling was typed, so there {@code --file} follows
     * too; {@code farm -f FILE logs} names the file.
     */
    static final class FileOrFollow implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(
                java.util.Stack<String> args,
                CommandSpec commandSpec,
                picocli.CommandLine.Model.ArgSpec argSpec,
                Map<String, Object> info) {
            if (commandSpec.userObject() instanceof LogsCommand logs) {
                logs.follow = true;
                return true; // consumed: -f takes no FILE here
            }
            return false;
        }
    }

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print farm's own diagnostics, and stack traces with errors.")
    boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            scope = ScopeType.INHERIT,
            description = "Print only errors from farm itself.")
    boolean quiet;

    @Option(
            names = "--no-color",
            scope = ScopeType.INHERIT,
            description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;

    @Option(
            names = "--profile",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "The config profile to apply (default: dev; serve for farm serve).")
    @Nullable
    String profile;

    @Option(
            names = "--env",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY[=VALUE]",
            description = "Give every service this variable, over everything the config says: KEY takes the value"
                    + " from farm's environment. Repeatable.")
    List<String> env = new ArrayList<>();

    /** {@code port: auto} gets the same ports when the config is read again. */
    private final ReplayingPorts ports = new ReplayingPorts();

    @Override
    public Integer call() {
        CommandSpec current = java.util.Objects.requireNonNull(spec);
        current.commandLine().usage(current.commandLine().getErr());
        return 2;
    }

    /**
     * Reads the config again, as it is now on disk, giving {@code port: auto} the same ports as the first reading.
     *
     * @return the configuration
     */
    public FarmConfig reloadConfig() {
        ports.rewind();
        return loadConfig();
    }

    /**
     * Reads the config that {@code -C}, {@code -f}, {@code --profile} and {@code --env} point at.
     *
     * @return the configuration
     */
    public FarmConfig loadConfig() {
        return source(profile == null ? LoadOptions.DEV : profile).load();
    }

    /**
     * Returns the source that {@code -C} and {@code -f} point at, read with the given profile and the {@code --env}
     * variables.
     *
     * @param profileName the profile to apply
     * @return the source
     * @throws ParameterException when an {@code --env KEY} names a variable farm's environment does not have
     */
    public ConfigSource source(String profileName) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String variable : env) {
            int equals = variable.indexOf('=');
            String key = equals < 0 ? variable : variable.substring(0, equals);
            String value = equals < 0 ? System.getenv(key) : variable.substring(equals + 1);
            if (key.isEmpty() || value == null) {
                throw new ParameterException(
                        java.util.Objects.requireNonNull(spec).commandLine(),
                        "--env " + variable + ": "
                                + (key.isEmpty() ? "no variable name" : key + " is not set in farm's environment")
                                + ". Export it first, or write --env " + (key.isEmpty() ? "KEY" : key) + "=VALUE.");
            }
            overrides.put(key, value);
        }
        LoadOptions options = LoadOptions.defaults()
                .withProfile(profileName)
                .withOverrides(overrides)
                .withPortAllocator(ports);
        Path base = directory == null ? Path.of("") : directory;
        if (file != null) {
            return ConfigSource.file(directory == null ? file : base.resolve(file), options);
        }
        return ConfigSource.directory(base, options);
    }

    /**
     * Returns the project folder {@code -C} and {@code -f} point at, without reading the config: the commands that talk
     * to a running farm ({@code ps}, {@code logs}, ...) need only where its {@code .farm/run/control.json} is.
     *
     * @return the folder: the config file's, {@code -C DIR}, or the current one
     */
    public Path projectDirectory() {
        Path base = directory == null ? Path.of("") : directory;
        if (file != null) {
            Path config = directory == null ? file : base.resolve(file);
            Path parent = config.toAbsolutePath().getParent();
            return parent == null ? base : parent;
        }
        return base;
    }

    /**
     * Returns the profile given with {@code --profile}.
     *
     * @return the profile, or empty
     */
    public java.util.Optional<String> profile() {
        return java.util.Optional.ofNullable(profile);
    }

    /**
     * Tells whether {@code -v} was given.
     *
     * @return whether to show stack traces
     */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Tells whether {@code --no-color} was given.
     *
     * @return whether colour is off
     */
    public boolean noColor() {
        return noColor;
    }
}
