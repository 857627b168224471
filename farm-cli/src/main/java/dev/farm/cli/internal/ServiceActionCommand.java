package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.cli.internal.control.ControlClient;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm restart|stop|start SERVICE...}: asks the running farm, and waits until it is done. */
public abstract class ServiceActionCommand implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "The services, one after the other.")
    List<String> services = new ArrayList<>();

    private final String action;
    private final String done;

    ServiceActionCommand(String action, String done) {
        this.action = action;
        this.done = done;
    }

    @Override
    public Integer call() {
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        ControlClient client = ClientCommands.connect(spec);
        ClientCommands.requireKnown(spec, client.get("/v1/services"), services, service -> true, "service");
        return run(client, services, commandLine.getOut(), commandLine.getErr());
    }

    /**
     * Asks for the action on each service in turn; a failure is reported and the others still get theirs.
     *
     * @return 0 when every one succeeded, 4 when a service failed to start or become ready
     */
    int run(ControlClient client, List<String> targets, PrintWriter out, PrintWriter err) {
        int code = 0;
        for (String service : targets) {
            String path = "/v1/services/" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "/" + action;
            try {
                JsonNode answer = client.post(path, Duration.ZERO);
                JsonNode status = answer.path("status");
                String took = String.format(
                        Locale.ROOT, "%.1fs", answer.path("took_ms").asLong() / 1000.0);
                String pid = status.path("pid").isNumber()
                        ? ", pid " + status.get("pid").asLong()
                        : "";
                out.println("farm: " + done + " " + service + " in " + took + " ("
                        + status.path("state").asText() + pid + ")");
            } catch (ControlClient.ControlException e) {
                if (e.status() != 409) {
                    throw e;
                }
                err.println("farm: " + action + " " + service + " failed: " + e.getMessage());
                code = Cli.SERVICE_FAILED;
            }
            out.flush();
            err.flush();
        }
        return code;
    }

    /** {@code farm restart}. */
    @CommandLine.Command(
            name = "restart",
            mixinStandardHelpOptions = true,
            description = "Restart services of the running farm at once (no backoff, the restart budget untouched) and"
                    + " wait until each is ready again.",
            footer = {"", "Exit code 4 when a service fails to start again, 1 when no farm is running."})
    public static final class Restart extends ServiceActionCommand {
        /** Creates the command. */
        public Restart() {
            super("restart", "restarted");
        }
    }

    /** {@code farm stop}. */
    @CommandLine.Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop services of the running farm (their whole process trees) and leave them stopped; what"
                    + " depends on them keeps running. farm start brings them back.",
            footer = {"", "Exit code 1 when no farm is running."})
    public static final class Stop extends ServiceActionCommand {
        /** Creates the command. */
        public Stop() {
            super("stop", "stopped");
        }
    }

    /** {@code farm start}. */
    @CommandLine.Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start stopped, exited or failed services of the running farm, and what they need, and wait"
                    + " until each is ready.",
            footer = {"", "Exit code 4 when a service fails to start, 1 when no farm is running."})
    public static final class Start extends ServiceActionCommand {
        /** Creates the command. */
        public Start() {
            super("start", "started");
        }
    }
}
