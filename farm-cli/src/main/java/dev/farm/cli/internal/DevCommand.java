package dev.farm.cli.internal;

import dev.farm.cli.DevServer;
import dev.farm.config.FarmConfig;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code farm dev}: runs the stack until Ctrl-C. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Start every service in dependency order, wait until each is ready, print their output, and"
                + " stop them all (whole process trees) on Ctrl-C.")
public final class DevCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable
    RootCommand root;

    @Spec
    @Nullable
    CommandSpec spec;

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
        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        FarmConfig config = options.loadConfig();
        boolean color = Terminal.color(options.noColor(), System.getenv());
        DevServer server = DevServer.builder(config).output(out, color).build();
        signals.onSignal(() -> {
            server.close();
            out.flush();
        });
        try {
            server.start();
        } catch (RuntimeException e) {
            boolean stoppedByUser = server.isClosing();
            signals.clear();
            server.close();
            if (stoppedByUser) {
                return 0;
            }
            throw e;
        }
        server.awaitClosed();
        signals.clear();
        return 0;
    }
}
