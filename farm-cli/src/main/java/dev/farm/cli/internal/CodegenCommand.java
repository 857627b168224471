package dev.farm.cli.internal;

import dev.farm.codegen.Codegen;
import dev.farm.codegen.CodegenOptions;
import dev.farm.codegen.CodegenOutcome;
import dev.farm.codegen.OpenApiSource;
import dev.farm.config.CodegenConfig;
import dev.farm.config.Command;
import dev.farm.config.FarmConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code farm codegen [NAME...]} runs the configured jobs once; {@code farm codegen --spec FILE|URL --out FILE} runs a
 * one-off job. Exit 0 when every job wrote or kept its file, 1 when one failed (its output is left as it was).
 */
@CommandLine.Command(
        name = "codegen",
        mixinStandardHelpOptions = true,
        description = "Generate TypeScript types and a typed fetch client from an OpenAPI document: the jobs under"
                + " codegen in the config (all, or those named), or one --spec. A file is written only when its"
                + " content changes; a failure leaves it as it was.")
final class CodegenCommand implements Callable<Integer> {

    static final Duration URL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @ParentCommand
    @Nullable
    RootCommand root;

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = "--spec",
            paramLabel = "FILE|URL",
            description = "An OpenAPI 3.0/3.1 document: a JSON or YAML file, or an http(s) URL such as"
                    + " http://127.0.0.1:8000/openapi.json.")
    @Nullable
    String document;

    @Option(names = "--out", paramLabel = "FILE", description = "The .ts file to write (with --spec).")
    @Nullable
    Path out;

    @Option(names = "--types-only", description = "Emit types only, no fetch client.")
    boolean typesOnly;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Configured jobs to run (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        PrintWriter stdout = commandLine.getOut();
        PrintWriter stderr = commandLine.getErr();
        RootCommand options = Objects.requireNonNull(root);
        Path base = options.directory == null ? Path.of("") : options.directory;
        if (document != null) {
            if (out == null) {
                throw new ParameterException(commandLine, "--spec needs --out FILE: the .ts file to write.");
            }
            if (!names.isEmpty()) {
                throw new ParameterException(
                        commandLine, "give job names or --spec, not both (got " + String.join(" ", names) + ").");
            }
            OpenApiSource source = sourceFor(document, base);
            return report(
                            "codegen",
                            Codegen.run(source, base.resolve(out), new CodegenOptions(typesOnly)),
                            stdout,
                            stderr)
                    ? CommandLine.ExitCode.OK
                    : CommandLine.ExitCode.SOFTWARE;
        }
        if (out != null) {
            throw new ParameterException(commandLine, "--out goes with --spec; configured jobs write their own out.");
        }
        FarmConfig config = options.loadConfig();
        Map<String, CodegenConfig> jobs = config.codegen();
        if (jobs.isEmpty()) {
            throw new ParameterException(
                    commandLine,
                    config.source() + " has no codegen jobs. Add one under codegen: (see farm config schema), or run"
                            + " farm codegen --spec FILE|URL --out FILE.");
        }
        List<CodegenConfig> selected = new ArrayList<>();
        for (String name : names) {
            CodegenConfig job = jobs.get(name);
            if (job == null) {
                throw new ParameterException(
                        commandLine,
                        "no codegen job '" + name + "' in " + config.source() + " (jobs: "
                                + String.join(", ", jobs.keySet()) + ").");
            }
            selected.add(job);
        }
        if (selected.isEmpty()) {
            selected.addAll(jobs.values());
        }
        boolean ok = true;
        for (CodegenConfig job : selected) {
            CodegenConfig.Source from = job.from();
            OpenApiSource source;
            if (from instanceof CodegenConfig.FromFile file) {
                source = OpenApiSource.file(file.file());
            } else if (from instanceof CodegenConfig.FromCommand command) {
                source = OpenApiSource.command(argv(command.command()), config.directory(), COMMAND_TIMEOUT);
            } else {
                CodegenConfig.FromService service = (CodegenConfig.FromService) from;
                stderr.println("farm: codegen " + job.name() + ": its document comes from the service '"
                        + service.service() + "' (" + service.path() + "), which only farm dev runs. Start farm dev"
                        + " (it runs the job once the service is ready), or run farm codegen --spec"
                        + " http://127.0.0.1:PORT" + service.path() + " --out " + job.out() + ".");
                ok = false;
                continue;
            }
            CodegenOptions jobOptions = new CodegenOptions(typesOnly || !job.client());
            ok &= report("codegen " + job.name(), Codegen.run(source, job.out(), jobOptions), stdout, stderr);
        }
        stderr.flush();
        return ok ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    static OpenApiSource sourceFor(String document, Path base) {
        String lower = document.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return OpenApiSource.url(URI.create(document), URL_TIMEOUT);
        }
        return OpenApiSource.file(base.resolve(document));
    }

    private static List<String> argv(Command command) {
        if (command instanceof Command.Exec exec) {
            return exec.argv();
        }
        return List.of("/bin/sh", "-c", ((Command.Shell) command).script());
    }

    private boolean report(String what, CodegenOutcome outcome, PrintWriter stdout, PrintWriter stderr) {
        boolean verbose = Objects.requireNonNull(root).verbose();
        if (outcome.status() == CodegenOutcome.Status.FAILED) {
            stderr.println("farm: " + what + " " + outcome.summary());
            stderr.flush();
            return false;
        }
        stdout.println(what + ": " + outcome.summary()
                + (outcome.warnings().isEmpty() ? "" : ", " + outcome.warnings().size() + " warnings (-v lists them)"));
        if (verbose) {
            outcome.warnings().forEach(warning -> stderr.println("farm: " + what + ": warning: " + warning));
        }
        stdout.flush();
        return true;
    }
}
