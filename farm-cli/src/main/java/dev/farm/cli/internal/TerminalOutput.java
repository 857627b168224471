package dev.farm.cli.internal;

import dev.farm.process.LogLine;
import dev.farm.process.ServiceEvent;
import dev.farm.process.spi.LogSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What farm prints while a stack runs: every service line prefixed with the service's name, padded and in a stable
 * colour; farm's own lines prefixed with {@code farm}. Colour only when asked (a terminal, or {@code FORCE_COLOR}).
 * Thread-safe: lines are written whole, one at a time.
 */
public final class TerminalOutput implements LogSink, Consumer<ServiceEvent> {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[31m";
    private static final List<String> PALETTE = List.of(
            "\u001b[36m",
            "\u001b[32m",
            "\u001b[33m",
            "\u001b[35m",
            "\u001b[34m",
            "\u001b[96m",
            "\u001b[92m",
            "\u001b[93m",
            "\u001b[95m",
            "\u001b[94m");
    private static final String FARM = "farm";

    private final PrintWriter out;
    private final boolean color;
    private final int width;
    private final Map<String, String> colors = new ConcurrentHashMap<>();
    private final Map<String, String> addresses;
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private final List<ServiceEvent> heldFailures = new ArrayList<>();
    private boolean started; // guarded by heldFailures

    /**
     * Creates the output.
     *
     * @param out where to print
     * @param color whether to use ANSI colours
     * @param services the service names, in the order that fixes their colours
     * @param addresses where each service can be reached, for its ready line
     */
    public TerminalOutput(PrintWriter out, boolean color, List<String> services, Map<String, String> addresses) {
        this.out = out;
        this.color = color;
        this.addresses = Map.copyOf(addresses);
        int longest = FARM.length();
        for (int i = 0; i < services.size(); i++) {
            colors.put(services.get(i), PALETTE.get(i % PALETTE.size()));
            longest = Math.max(longest, services.get(i).length());
        }
        this.width = longest;
    }

    /** The stack started: from now on failures are printed as they happen. */
    public void startupFinished() {
        startupFailed("");
    }

    /**
     * The start failed and farm reports that service's failure as its error message; every other failure held back
     * during startup is printed now, so none goes unmentioned.
     *
     * @param reportedService the service whose failure the error message names, or empty
     */
    public void startupFailed(String reportedService) {
        List<ServiceEvent> held;
        synchronized (heldFailures) {
            started = true;
            held = List.copyOf(heldFailures);
            heldFailures.clear();
        }
        for (ServiceEvent failure : held) {
            if (!failure.service().equals(reportedService)) {
                farm(red(failure.service() + " failed: " + failure.message()));
            }
        }
    }

    /**
     * Prints one of farm's own lines.
     *
     * @param message the text
     */
    public void farm(String message) {
        print(FARM, color ? BOLD : "", message);
    }

    @Override
    public void accept(LogLine line) {
        String text = line.text();
        if (!color) {
            text = stripAnsi(text);
        }
        print(line.service(), colors.getOrDefault(line.service(), ""), text);
    }

    @Override
    public void accept(ServiceEvent event) {
        String name = event.service();
        switch (event.state()) {
            case STARTING -> {
                startedAt.put(name, event.time());
                farm("starting " + name + dim(" (pid " + event.pid().orElse(0) + "): " + event.message()));
            }
            case READY -> {
                Instant since = startedAt.getOrDefault(name, event.time());
                String address = addresses.get(name);
                farm(name + " ready in " + seconds(Duration.between(since, event.time()))
                        + (address == null ? "" : "  " + highlight(address)));
            }
            case EXITED -> {
                boolean clean = event.exitCode().orElse(0) == 0;
                farm(clean ? name + " " + event.message() : red(name + " " + event.message()));
            }
            case RESTARTING -> farm(red(name + " " + event.message()));
            case SKIPPED -> farm(red(name + " skipped: " + event.message()));
            case STOPPING -> {
                if (!event.message().isEmpty()) {
                    farm(name + ": " + event.message());
                }
            }
            case FAILED -> {
                synchronized (heldFailures) {
                    if (!started) {
                        heldFailures.add(event); // the start's error message may report it: see startupFailed
                        return;
                    }
                }
                farm(red(name + " failed: " + event.message()));
            }
            case STOPPED -> {
                if (event.message().startsWith("left running")) {
                    farm(name + " " + event.message());
                } else if (!"never started".equals(event.message())) {
                    farm("stopped " + name);
                }
            }
            default -> {
                // PENDING says nothing the next line would not.
            }
        }
    }

    private void print(String name, String style, String text) {
        StringBuilder line = new StringBuilder(width + 3 + text.length());
        if (color) {
            line.append(style);
        }
        line.append(name);
        line.append(" ".repeat(Math.max(0, width - name.length())));
        line.append(" |");
        if (color) {
            line.append(RESET);
        }
        line.append(' ').append(text);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private String dim(String text) {
        return color ? DIM + text + RESET : text;
    }

    private String red(String text) {
        return color ? RED + text + RESET : text;
    }

    private String highlight(String text) {
        return color ? BOLD + text + RESET : text;
    }

    /**
     * Formats a duration for people: {@code 0.4s}, {@code 12.1s}.
     *
     * @param duration the duration
     * @return the text
     */
    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }

    /** Removes ANSI escape sequences, for output that is not a terminal. */
    static String stripAnsi(String text) {
        if (text.indexOf('\u001b') < 0) {
            return text;
        }
        return text.replaceAll(
                "\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)|\u001b[@-_]", "");
    }
}
