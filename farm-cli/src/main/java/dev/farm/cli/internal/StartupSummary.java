package dev.farm.cli.internal;

import dev.farm.config.Command;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The one-screen summary {@code farm dev} prints once every service is ready: the proxy's URL first (the one to open),
 * then each service's URL, the API docs of a FastAPI backend, the Ollama API, the services without a port on one
 * line, and the total time.
 *
 * <pre>
 * open http://127.0.0.1:4000  (/api → api, / → web)
 *   api     http://127.0.0.1:8000   API docs http://127.0.0.1:8000/docs
 *   web     http://127.0.0.1:5173
 *   ollama  http://127.0.0.1:11434  Ollama API
 *   also running: worker
 *   done: migrate
 * all 4 services ready in 2.4s. Press Ctrl-C to stop.
 * </pre>
 */
public final class StartupSummary {

    private StartupSummary() {}

    /**
     * What one service looks like now.
     *
     * @param port the port it listens on, after {@code auto} was resolved; empty when it has none
     * @param done whether it is a task that has finished
     * @param adopted whether farm found it running and uses it as it is
     */
    public record Now(OptionalInt port, boolean done, boolean adopted) {}

    /**
     * Writes the summary's lines, without farm's prefix.
     *
     * @param config the stack
     * @param proxyPort the proxy's port, when it runs
     * @param routes the proxy's routes, described
     * @param now each service's port and state, by name
     * @param took how long the start took
     * @param highlight styles a URL (bold on a colour terminal)
     * @return the lines
     */
    public static List<String> lines(
            FarmConfig config,
            OptionalInt proxyPort,
            String routes,
            Map<String, Now> now,
            Duration took,
            UnaryOperator<String> highlight) {
        List<String> lines = new ArrayList<>();
        if (proxyPort.isPresent()) {
            lines.add("open " + highlight.apply("http://127.0.0.1:" + proxyPort.getAsInt()) + "  (" + routes + ")");
        }
        int width = 0;
        List<ServiceConfig> reachable = new ArrayList<>();
        List<String> others = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            Now state = now.getOrDefault(service.name(), new Now(service.port(), false, false));
            if (address(service, state.port()).isEmpty()) {
                (state.done() ? done : others).add(service.name());
            } else {
                reachable.add(service);
                width = Math.max(width, service.name().length());
            }
        }
        for (ServiceConfig service : reachable) {
            Now state = now.getOrDefault(service.name(), new Now(service.port(), false, false));
            String address = address(service, state.port());
            StringBuilder line = new StringBuilder("  ")
                    .append(service.name())
                    .append(" ".repeat(width - service.name().length() + 2))
                    .append(highlight.apply(address));
            List<String> notes = new ArrayList<>();
            if (isFastApi(service) && address.startsWith("http://")) {
                notes.add("API docs " + highlight.apply(address + "/docs"));
            }
            if (isOllama(service)) {
                notes.add("Ollama API");
            }
            if (state.adopted()) {
                notes.add("(adopted)");
            }
            if (state.done()) {
                notes.add("(done)");
            }
            if (!notes.isEmpty()) {
                line.append("  ").append(String.join("  ", notes));
            }
            lines.add(line.toString());
        }
        if (!others.isEmpty()) {
            lines.add("  also running: " + String.join(", ", others));
        }
        if (!done.isEmpty()) {
            lines.add("  done: " + String.join(", ", done));
        }
        int count = config.services().size();
        lines.add("all " + count + (count == 1 ? " service" : " services") + " ready in " + TerminalOutput.seconds(took)
                + ". Press Ctrl-C to stop.");
        return lines;
    }

    /** Where a user reaches the service, with the port it really got; empty when it has none. */
    private static String address(ServiceConfig service, OptionalInt port) {
        boolean tcpProbe = service.ready().isPresent() && service.ready().get().check() instanceof ProbeConfig.Tcp;
        if (port.isPresent() && !tcpProbe) {
            return "http://127.0.0.1:" + port.getAsInt();
        }
        return SpecTranslator.address(service).orElse("");
    }

    /**
     * Tells whether a service is a FastAPI app, whose interactive API docs are at {@code /docs}: its command runs
     * uvicorn, the {@code fastapi} command, or gunicorn with uvicorn workers.
     *
     * @param service the service
     * @return whether it serves FastAPI's docs
     */
    static boolean isFastApi(ServiceConfig service) {
        String command = service.command().map(StartupSummary::text).orElse("").toLowerCase(Locale.ROOT);
        return command.matches("(?s).*\\b(uvicorn|fastapi)\\b.*");
    }

    /**
     * Tells whether a service is Ollama: the {@code ollama} preset, or a command that runs {@code ollama serve}.
     *
     * @param service the service
     * @return whether it serves the Ollama API
     */
    static boolean isOllama(ServiceConfig service) {
        return service.preset().filter("ollama"::equals).isPresent()
                || service.command()
                        .map(StartupSummary::text)
                        .orElse("")
                        .matches("(?s)(.*[/\\s])?ollama\\s+serve\\b.*");
    }

    private static String text(Command command) {
        if (command instanceof Command.Shell shell) {
            return shell.script();
        }
        return String.join(" ", ((Command.Exec) command).argv());
    }
}
