package dev.farm.cli.internal;

import dev.farm.cli.internal.control.ControlClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm down}: stops the running farm of this project, as Ctrl-C in its terminal would. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = "Stop the farm running this project: every service's whole process tree, dependents first, then"
                + " farm itself. Waits until it has exited.",
        footer = {"", "Exit code 1 when no farm is running for this project, or it did not exit in time."})
public final class DownCommand implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long to wait for farm to exit (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlClient client = ClientCommands.connect(spec);
        long pid = client.file().pid();
        String project = client.file().project();
        Optional<ProcessHandle> farm = ProcessHandle.of(pid);
        Instant begin = Instant.now();
        out.println("farm: stopping " + project + " (pid " + pid + ")");
        out.flush();
        client.post("/v1/shutdown", Duration.ofSeconds(30));
        if (farm.isPresent()) {
            try {
                farm.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                err.println("farm: " + project + " (pid " + pid + ") is still stopping after " + timeoutSeconds
                        + " s. See its terminal for what it waits for, or kill " + pid + ".");
                err.flush();
                return 1;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        out.println(
                "farm: stopped " + project + " in " + TerminalOutput.seconds(Duration.between(begin, Instant.now())));
        out.flush();
        return 0;
    }
}
