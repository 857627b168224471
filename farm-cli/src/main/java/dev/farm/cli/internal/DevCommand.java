package dev.farm.cli.internal;

import dev.farm.cli.DevServer;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
public class DevCommand implements Callable<Integer> {

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

    @CommandLine.Parameters(
            paramLabel = "SERVICE",
            description = "Run only these services (and what they depend on, unless --no-deps).")
    List<String> services = new ArrayList<>();

    @Option(names = "--no-deps", description = "With SERVICE...: do not start what they depend on.")
    boolean noDeps;

    @CommandLine.ArgGroup(exclusive = true)
    @Nullable
    Side side;

    /** {@code --frontend-only} or {@code --backend-only}. */
    static final class Side {
        @Option(
                names = "--frontend-only",
                description =
                        "Run only the frontend: services of group frontend, or named web, frontend, ui or" + " client.")
        boolean frontend;

        @Option(names = "--backend-only", description = "Run everything but the frontend.")
        boolean backend;
    }

    @Option(
            names = "--control-host",
            paramLabel = "ADDRESS",
            description = "Where the control API listens (default: 127.0.0.1). Another than loopback needs"
                    + " --control-allow-remote.")
    @Nullable
    String controlHost;

    @Option(
            names = "--control-allow-remote",
            description = "Allow a --control-host other than loopback: whoever reaches it with the token from"
                    + " .farm/run/control.json can stop the stack.")
    boolean controlAllowRemote;

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

    /** Whether this is {@code farm serve}: the serve profile, no watch, no codegen, restart always. */
    boolean serve() {
        return false;
    }

    /** The services the command line asks for, with what they need. */
    private FarmConfig select(FarmConfig config, CommandLine commandLine) {
        List<String> names = new ArrayList<>(services);
        if (side != null) {
            if (!names.isEmpty()) {
                throw new CommandLine.ParameterException(
                        commandLine, "name services or say --frontend-only / --backend-only, not both");
            }
            boolean frontend = side.frontend;
            names = StackSelection.names(config, service -> StackSelection.isFrontend(service) == frontend);
            if (names.isEmpty()) {
                throw new CommandLine.ParameterException(
                        commandLine,
                        (frontend ? "--frontend-only: no frontend service" : "--backend-only: only frontend services")
                                + " in " + config.source().getFileName() + " (a frontend has group: frontend, or is"
                                + " named web, frontend, ui or client)");
            }
        } else if (noDeps && names.isEmpty()) {
            throw new CommandLine.ParameterException(
                    commandLine, "--no-deps needs the services to run: farm dev" + " SERVICE... --no-deps");
        }
        try {
            return StackSelection.select(config, names, !noDeps);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        RootCommand options = Objects.requireNonNull(root);
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        PrintWriter out = commandLine.getOut();
        FarmConfig config = serve()
                ? StackSelection.serve(options.source(options.profile().orElse(LoadOptions.SERVE))
                        .load())
                : options.loadConfig();
        config = select(config, commandLine);
        boolean color = Terminal.color(options.noColor(), System.getenv());
        boolean watching = !noWatch && !serve();
        DevServer.Builder builder = DevServer.builder(config)
                .output(out, color)
                .timings(timings)
                .watch(watching)
                .proxy(!noProxy)
                .reload(() -> select(options.reloadConfig(), commandLine));
        if (controlHost != null) {
            java.net.InetAddress address;
            try {
                address = java.net.InetAddress.getByName(controlHost);
            } catch (java.net.UnknownHostException e) {
                throw new CommandLine.ParameterException(
                        commandLine, "--control-host: " + controlHost + " is not an address of this machine");
            }
            if (!address.isLoopbackAddress() && !controlAllowRemote) {
                throw new CommandLine.ParameterException(
                        commandLine,
                        "--control-host " + controlHost + ": the control API listens on loopback only, unless you"
                                + " add --control-allow-remote (whoever reaches it with the token can stop the"
                                + " stack).");
            }
            builder.controlHost(address, controlAllowRemote);
        }
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
