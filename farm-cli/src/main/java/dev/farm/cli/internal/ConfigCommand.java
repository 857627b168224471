package dev.farm.cli.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigPrinter;
import dev.farm.config.ConfigProblem;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code farm config check | show | schema}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Check, show or describe the project's configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class, ConfigCommand.Schema.class})
public final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable
    RootCommand root;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        commandLine.usage(commandLine.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    RootCommand root() {
        return Objects.requireNonNull(root);
    }

    /** {@code farm config check}: every problem of every profile, or a one-line summary. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate the configuration with every profile (dev, serve and those it declares); print"
                    + " every problem and exit 3, or a summary and exit 0.")
    static final class Check implements Callable<Integer> {

        @ParentCommand
        @Nullable
        ConfigCommand parent;

        @Spec
        @Nullable
        CommandSpec spec;

        @Override
        public Integer call() {
            RootCommand root = Objects.requireNonNull(parent).root();
            String first = root.profile().orElse(LoadOptions.DEV);
            Set<ConfigProblem> problems = new LinkedHashSet<>();
            List<String> checked = new ArrayList<>(List.of(first));
            FarmConfig config = null;
            List<String> declared = List.of();
            try {
                config = root.source(first).load();
                declared = config.profiles();
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                declared = e.profiles();
            }
            if (root.profile().isEmpty()) {
                Set<String> others = new LinkedHashSet<>(List.of(LoadOptions.SERVE));
                others.addAll(declared);
                others.remove(first);
                for (String profile : others) {
                    checked.add(profile);
                    try {
                        root.source(profile).load();
                    } catch (ConfigException e) {
                        for (ConfigProblem problem : e.problems()) {
                            if (!problems.contains(problem)) { // only this profile has it: say so
                                problems.add(new ConfigProblem(
                                        problem.file(),
                                        problem.line(),
                                        problem.column(),
                                        problem.path(),
                                        problem.message() + " (with profile " + profile + ")"));
                            }
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(List.copyOf(problems), null);
            }
            FarmConfig valid = Objects.requireNonNull(config);
            PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
            int count = valid.services().size();
            out.println(valid.source() + ": ok, " + count + (count == 1 ? " service" : " services")
                    + " (profiles checked: " + String.join(", ", checked) + ")");
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }

    /** {@code farm config show}: the resolved configuration. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the configuration as farm runs it: presets expanded, services discovered, the"
                    + " profile merged, variables interpolated, secrets masked.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        @Nullable
        ConfigCommand parent;

        @Spec
        @Nullable
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON instead of YAML.")
        boolean json;

        @Override
        public Integer call() {
            FarmConfig config = Objects.requireNonNull(parent).root().loadConfig();
            PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
            // Secrets a ${VAR} copied from farm's own environment are masked too.
            out.print(json ? ConfigPrinter.json(config, System.getenv()) : ConfigPrinter.yaml(config, System.getenv()));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }

    /** {@code farm config schema}: the JSON Schema of farm.yaml. */
    @Command(
            name = "schema",
            mixinStandardHelpOptions = true,
            description = "Print the JSON Schema (2020-12) of farm.yaml, for editors: save it and point the"
                    + " '# yaml-language-server: $schema=' line of farm.yaml at it.")
    static final class Schema implements Callable<Integer> {

        @Spec
        @Nullable
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
            out.print(ConfigPrinter.schema());
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }
}
