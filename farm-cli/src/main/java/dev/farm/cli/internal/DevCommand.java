package dev.farm.cli.internal;

import dev.farm.cli.DevServer;
import dev.farm.config.FarmConfig;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code farm dev}: runs the stack until Ctrl-C. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Start every service in dependency order, wait until each is ready, print their output, and"
                + " stop them all (whole process trees) on Ctrl-C. A second Ctrl-C kills everything at once and"
                + " exits 130.")
public final class DevCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable
    RootCommand root;

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--no-watch", description = "Do not watch files: no restarts, watch actions or config reloads.")
    boolean noWatch;

    @Option(names = "--no-proxy", description = "Do not start the proxy, even when the config has one.")
    boolean noProxy;

    @Option(names = "--port", paramLabel = "N", description = "The proxy's port, instead of proxy.port.")
    @Nullable
    Integer port;

    @Option(
            names = "--timings",
            description = "After the start, print when each service started and was ready, and the critical chain"
                    + " (printed anyway when the start takes longer than 10 s).")
    boolean timings;

    private final ShutdownSignals signals;

    /** Creates the command with the JVM's signal handling. */
    public DevCommand() {
        this(ShutdownSignals.jvm());
    }

    /**
     * Creates the command with the given signal handling.
     *
     * @param signals what a stop signal does
     */
    public DevCommand(ShutdownSignals signals) {
        this.signals = signals;
    }

    @Override
    public Integer call() throws InterruptedException {
        RootCommand options = Objects.requireNonNull(root);
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        PrintWriter out = commandLine.getOut();
        FarmConfig config = options.loadConfig();
        boolean color = Terminal.color(options.noColor(), System.getenv());
        DevServer.Builder builder = DevServer.builder(config)
                .output(out, color)
                .timings(timings)
                .watch(!noWatch)
                .proxy(!noProxy)
                .reload(options::reloadConfig);
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new CommandLine.ParameterException(commandLine, "--port: " + port + " (expected: 0-65535)");
            }
            builder.proxyPort(port);
        }
        if (Terminal.interactive(System.getenv())) { // a live line at the bottom; never on a pipe, whatever colour says
            builder.terminal(Terminal.columns(System.getenv()));
        }
        DevServer server = builder.build();
        signals.onSignal(() -> {
            server.close();
            out.flush();
            return CommandLine.ExitCode.OK; // stopped on request
        });
        signals.onForce(server::kill); // a second Ctrl-C: every tree killed at once
        try {
            server.start();
        } catch (RuntimeException e) {
            if (server.isClosing()) { // Ctrl-C while starting: the signal's action is stopping everything
                server.close();
                signals.clear();
                return CommandLine.ExitCode.OK;
            }
            // A signal during this cleanup must still stop everything and report the failure, exactly once.
            AtomicBoolean reported = new AtomicBoolean();
            IntSupplier report = () -> {
                if (reported.compareAndSet(false, true)) {
                    Cli.report(e, commandLine.getErr(), options.verbose());
                }
                return Cli.exitCode(e);
            };
            signals.onSignal(() -> {
                server.close();
                return report.getAsInt();
            });
            server.close();
            int code = report.getAsInt();
            signals.clear();
            return code;
        }
        server.awaitClosed();
        signals.clear();
        return CommandLine.ExitCode.OK;
    }
}
