package dev.farm.cli.internal;

import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.LogLine;
import dev.farm.process.ReadinessWait;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import dev.farm.process.spi.LogSink;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What farm prints while a stack runs: every service line prefixed with the service's name, padded and in a stable
 * colour; farm's own lines prefixed with {@code farm}. Colour only when asked (a terminal, or {@code FORCE_COLOR}).
 *
 * <p>On a terminal ({@link Mode#interactive()}) a live line at the bottom says what farm waits for: while services
 * start, {@code api: waiting for GET /health — connection refused, 2.1s}; while they stop, {@code stopping: waiting for
 * api (SIGTERM sent 2.3s ago, kills at 10.0s)}. It is redrawn every {@link #TICK} with {@code \r} and erase-line, erased
 * before any other line is printed (so no line is ever mangled), and gone once nothing is waited for: a service's ready
 * line is its one-line summary. Elsewhere (a pipe, a file, CI) nothing is redrawn; a service that has not been ready
 * for {@link #REPORT_AFTER} gets one plain line, and another every {@link #REPORT_EVERY}, so a slow start in a CI log
 * still says why without flooding it.
 *
 * <p>A model pull ({@link ModelPulls}) shows as a bar on the live line, {@code ollama: pulling llama3.1
 * [#######.....] 58% 1.2/2.0 GB}; elsewhere as a plain line at most every {@link #PULL_STEP_PERCENT}% or {@link
 * #PULL_REPORT_EVERY}. Its end is one line: {@code ollama: pulled llama3.1 in 12.3s} or {@code ollama: pull of
 * llama3.1 failed: ...}.
 *
 * <p>Thread-safe: lines are written whole, one at a time, under the writer's lock; the live line is drawn by one daemon
 * thread between {@link #start()} and {@link #close()}.
 */
public final class TerminalOutput implements LogSink, Consumer<ServiceEvent>, ModelPulls.Progress, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalOutput.class);

    /** How often the live line is redrawn. */
    static final Duration TICK = Duration.ofMillis(100);

    /** How long a service starts before the live line names it, so fast services do not flicker. */
    static final Duration SHOW_AFTER = Duration.ofMillis(200);

    /** Without a terminal: how long a service starts before a plain line says what it waits for. */
    static final Duration REPORT_AFTER = Duration.ofSeconds(5);

    /** Without a terminal: the time between two such lines for one service. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    /** Without a terminal: a pull's progress is printed each time it passes another multiple of this. */
    static final int PULL_STEP_PERCENT = 10;

    /** Without a terminal: a pull's progress is printed at least this often. */
    static final Duration PULL_REPORT_EVERY = Duration.ofSeconds(5);

    /** The cells of a pull's bar. */
    static final int PULL_BAR_CELLS = 12;

    /** Carriage return and erase the whole line: where the live line was, an empty line with the cursor at its start. */
    static final String ERASE_LINE = "\r\u001b[2K";

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
    private final Mode mode;
    private final Clock clock;
    private final int width;
    private final Map<String, String> colors = new ConcurrentHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();
    private final List<ServiceEvent> heldFailures = new ArrayList<>();
    private boolean started; // guarded by heldFailures
    private boolean liveShown; // guarded by out
    private volatile boolean closing;
    private volatile Function<String, Optional<ReadinessWait>> waits = name -> Optional.empty();
    /** The setup commands running now ({@code npm install} of a discovered domain), by service. */
    private final Map<String, Setup> setups = new java.util.concurrent.ConcurrentHashMap<>();

    /** A setup command under way: what it is, since when, and the last line it printed. */
    private record Setup(String command, Instant since, String lastLine) {}

    private static final String SETUP_STARTED = "running setup: ";

    /** The model pulls under way, by service and model. */
    private final Map<String, Pull> pulls = new ConcurrentHashMap<>();

    /** A model pull under way: how far it is, and when and at which step it was last printed as a plain line. */
    private record Pull(String service, String model, long completed, long total, Instant printedAt, int printedStep) {}
    /** Braille spinner frames only where standard output is UTF-8. */
    private static final boolean ASCII_ONLY = !"UTF-8"
            .equalsIgnoreCase(System.getProperty(
                    "stdout.encoding",
                    System.getProperty(
                            "sun.stdout.encoding",
                            java.nio.charset.Charset.defaultCharset().name())));

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] SPINNER_ASCII = {"|", "/", "-", "\\"};
    private @Nullable ScheduledExecutorService ticker; // guarded by this

    /**
     * How the output may look.
     *
     * @param color whether to use ANSI colours
     * @param interactive whether the output is a terminal on which a live line may be redrawn
     * @param columns the terminal's width, which the live line never exceeds; at least 20
     */
    public record Mode(boolean color, boolean interactive, int columns) {

        /**
         * Validates the width.
         *
         * @param color whether to use ANSI colours
         * @param interactive whether a live line may be redrawn
         * @param columns the terminal's width, at least 20
         */
        public Mode {
            if (columns < 20) {
                throw new IllegalArgumentException("columns: " + columns + " (expected: >= 20)");
            }
        }

        /**
         * Returns plain output, coloured or not, with no live line: for pipes, files and tests.
         *
         * @param color whether to use ANSI colours
         * @return the mode
         */
        public static Mode plain(boolean color) {
            return new Mode(color, false, 80);
        }
    }

    /**
     * What the output says of one service.
     *
     * @param name its name
     * @param address where it can be reached, for its ready line; empty when it names no port
     * @param probe what its readiness probe waits for, short ({@code GET /health}); empty for the probe's own
     *     description
     * @param stopSignal the signal that stops it, such as {@code SIGTERM}
     * @param stopTimeout how long after that signal it is killed
     */
    public record Service(
            String name, Optional<String> address, String probe, String stopSignal, Duration stopTimeout) {

        /**
         * Validates the components.
         *
         * @param name its name
         * @param address where it can be reached
         * @param probe what its readiness probe waits for, or empty
         * @param stopSignal the signal that stops it
         * @param stopTimeout how long after that signal it is killed
         */
        public Service {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(stopSignal, "stopSignal");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
        }

        /**
         * Describes a configured service.
         *
         * @param config the service
         * @return what the output says of it
         */
        public static Service of(ServiceConfig config) {
            return new Service(
                    config.name(),
                    SpecTranslator.address(config),
                    config.ready().map(ready -> probe(ready.check())).orElse(""),
                    "SIG" + config.stopSignal(),
                    config.stopTimeout());
        }

        /** A short phrase for what a probe waits for: {@code GET /health}, {@code TCP port 5432}. */
        static String probe(ProbeConfig.Check check) {
            if (check instanceof ProbeConfig.Http http) {
                URI url = http.url();
                boolean local = url.getHost() == null
                        || url.getHost().equals("127.0.0.1")
                        || url.getHost().equals("localhost");
                String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
                return http.method() + " " + (local ? path : url.toString());
            }
            if (check instanceof ProbeConfig.Tcp tcp) {
                return "TCP port " + tcp.port();
            }
            if (check instanceof ProbeConfig.LogLine line) {
                return "a line matching /" + line.regex() + "/";
            }
            if (check instanceof ProbeConfig.Heartbeat) {
                return "its first heartbeat";
            }
            return ""; // exec: the probe's description quotes the command
        }
    }

    /** Where a service is, as the live line needs it: entered when, and when a plain line next reports it. */
    private record Phase(ServiceState state, Instant since, Instant nextReport) {}

    /**
     * Creates plain output with no live line.
     *
     * @param out where to print
     * @param color whether to use ANSI colours
     * @param services the service names, in the order that fixes their colours
     * @param addresses where each service can be reached, for its ready line
     */
    public TerminalOutput(PrintWriter out, boolean color, List<String> services, Map<String, String> addresses) {
        this(out, Mode.plain(color), Clock.systemUTC(), services(services, addresses));
    }

    /**
     * Creates the output.
     *
     * @param out where to print
     * @param mode colour and live line
     * @param clock the supervisor's clock, for the live line's times
     * @param services the services, in the order that fixes their colours
     */
    public TerminalOutput(PrintWriter out, Mode mode, Clock clock, List<Service> services) {
        this.out = out;
        this.mode = mode;
        this.color = mode.color();
        this.clock = clock;
        int longest = FARM.length();
        for (int i = 0; i < services.size(); i++) {
            Service service = services.get(i);
            this.services.put(service.name(), service);
            colors.put(service.name(), PALETTE.get(i % PALETTE.size()));
            longest = Math.max(longest, service.name().length());
        }
        this.width = longest;
    }

    private static List<Service> services(List<String> names, Map<String, String> addresses) {
        List<Service> services = new ArrayList<>();
        for (String name : names) {
            services.add(
                    new Service(name, Optional.ofNullable(addresses.get(name)), "", "SIGTERM", Duration.ofSeconds(10)));
        }
        return services;
    }

    /**
     * Sets where the live line learns what a starting service waits for; usually {@link
     * dev.farm.process.ProcessSupervisor#waiting(String)}.
     *
     * @param waits the service's current wait, if any; called on the live line's thread, must not block
     */
    public void waits(Function<String, Optional<ReadinessWait>> waits) {
        this.waits = Objects.requireNonNull(waits, "waits");
    }

    /** The whole stack stops: says so, and from now on the live line tells that a second Ctrl-C kills at once. */
    public void stopping() {
        closing = true;
        farm("stopping");
    }

    /** Starts redrawing the live line (on a terminal) or reporting slow starts (elsewhere); idempotent. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        ScheduledExecutorService created = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "farm-cli-status-1");
            thread.setDaemon(true);
            return thread;
        });
        var unused = created.scheduleWithFixedDelay(
                this::tickSafely, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        ticker = created;
    }

    /** Stops the live line and erases it; may be called twice. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = ticker;
            ticker = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                if (!running.awaitTermination(1, TimeUnit.SECONDS)) {
                    LOG.debug("the live line's thread did not end within 1 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (out) {
            eraseLive();
            out.flush();
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("drawing the live line failed: {}", e.toString(), e);
        }
    }

    /** Draws the live line once (on a terminal), or prints the plain lines that are due (elsewhere). */
    void tick() {
        Instant now = clock.instant();
        if (!mode.interactive()) {
            reportSlowStarts(now);
            return;
        }
        String text = liveText(now);
        synchronized (out) {
            if (text.isEmpty()) {
                eraseLive();
            } else {
                out.print(ERASE_LINE + renderLive(text));
                liveShown = true;
            }
            out.flush();
        }
    }

    /** What the live line says now; empty when farm waits for nothing. */
    String liveText(Instant now) {
        List<String> stopping = new ArrayList<>();
        List<String> starting = new ArrayList<>();
        for (Service service : services.values()) {
            Phase phase = phases.get(service.name());
            if (phase == null) {
                continue;
            }
            Duration waited = Duration.between(phase.since(), now);
            if (phase.state() == ServiceState.STOPPING) {
                stopping.add(service.name() + " (" + service.stopSignal() + " sent " + seconds(waited)
                        + " ago, kills at " + seconds(service.stopTimeout()) + ")");
            } else if (phase.state() == ServiceState.STARTING && waited.compareTo(SHOW_AFTER) >= 0) {
                starting.add(service.name() + ": " + waitDetail(service, waited));
            }
        }
        if (!stopping.isEmpty()) {
            return "stopping: waiting for " + String.join(", ", stopping)
                    + (closing ? "  ·  Ctrl-C again kills at once" : "");
        }
        for (Pull pull : pulls.values()) {
            starting.add(pull.service() + ": " + pullBar(pull.model(), pull.completed(), pull.total(), true));
        }
        return String.join("  ·  ", starting);
    }

    /**
     * {@code waiting for GET /health — connection refused, 2.1s}, or {@code starting, 0.3s} before the first probe, or
     * for a setup command, {@code ⠹ setup npm install, 12.3s — added 120 packages}: a spinner and the clock, since
     * npm off a terminal gives no percentage to draw a bar from.
     */
    private String waitDetail(Service service, Duration waited) {
        Setup setup = setups.get(service.name());
        if (setup != null) {
            Duration running = Duration.between(setup.since(), clock.instant());
            String[] frames = ASCII_ONLY ? SPINNER_ASCII : SPINNER;
            String spinner = frames[(int) ((running.toMillis() / 100) % frames.length)];
            return spinner + " setup " + setup.command() + ", " + seconds(running)
                    + (setup.lastLine().isEmpty()
                            ? ""
                            : " — " + stripAnsi(setup.lastLine()).strip());
        }
        Optional<ReadinessWait> wait = waits.apply(service.name());
        StringBuilder text = new StringBuilder();
        if (wait.isEmpty()) {
            text.append("starting");
        } else {
            text.append("waiting for ")
                    .append(service.probe().isEmpty() ? wait.get().probe() : service.probe());
            if (!wait.get().lastAttempt().isEmpty()) {
                text.append(" — ").append(wait.get().lastAttempt());
            }
        }
        return text.append(", ").append(seconds(waited)).toString();
    }

    private void reportSlowStarts(Instant now) {
        for (Service service : services.values()) {
            Phase phase = phases.get(service.name());
            if (phase == null || phase.state() != ServiceState.STARTING || now.isBefore(phase.nextReport())) {
                continue;
            }
            Phase next =
                    new Phase(phase.state(), phase.since(), phase.nextReport().plus(REPORT_EVERY));
            if (phases.replace(service.name(), phase, next)) {
                farm(service.name() + ": still " + waitDetail(service, Duration.between(phase.since(), now)));
            }
        }
    }

    /** The live line as drawn: farm's prefix and the text, cut to the terminal's width so it never wraps. */
    private String renderLive(String text) {
        int room = mode.columns() - 1 - (width + 3);
        String shown = text.length() <= room ? text : text.substring(0, Math.max(0, room - 1)) + "…";
        StringBuilder line = new StringBuilder();
        if (color) {
            line.append(BOLD);
        }
        line.append(FARM).append(" ".repeat(width - FARM.length())).append(" |");
        if (color) {
            line.append(RESET);
        }
        line.append(' ').append(color ? DIM + shown + RESET : shown);
        return line.toString();
    }

    /** Erases the live line, if drawn; the caller holds the writer's lock. */
    private void eraseLive() {
        if (liveShown) {
            out.print(ERASE_LINE);
            liveShown = false;
        }
    }

    @Override
    public void progress(String service, String model, long completed, long total) {
        String key = service + '\u0000' + model;
        Instant now = clock.instant();
        int step = percent(completed, total) / PULL_STEP_PERCENT;
        Pull before = pulls.get(key);
        boolean print = !mode.interactive()
                && (before == null
                        || step > before.printedStep()
                        || !now.isBefore(before.printedAt().plus(PULL_REPORT_EVERY)));
        pulls.put(
                key,
                print || before == null
                        ? new Pull(service, model, completed, total, now, step)
                        : new Pull(service, model, completed, total, before.printedAt(), before.printedStep()));
        if (print) {
            farm(service + ": " + pullBar(model, completed, total, false));
        }
    }

    @Override
    public void finished(String service, String model, String error, Duration took) {
        pulls.remove(service + '\u0000' + model);
        if (error.isEmpty()) {
            farm(service + ": pulled " + model + " in " + seconds(took));
        } else {
            farm(red(service + ": pull of " + model + " failed: " + error));
        }
    }

    /**
     * What a pull looks like: {@code pulling llama3.1 [#######.....] 58% 1.2/2.0 GB}, without the bar for plain lines.
     *
     * @param model the model
     * @param completed bytes received
     * @param total bytes to receive; 0 when not known yet
     * @param bar whether to draw the bar
     * @return the text
     */
    static String pullBar(String model, long completed, long total, boolean bar) {
        int percent = percent(completed, total);
        StringBuilder text = new StringBuilder("pulling ").append(model).append(' ');
        if (bar) {
            int filled = percent * PULL_BAR_CELLS / 100;
            text.append('[')
                    .append("#".repeat(filled))
                    .append(".".repeat(PULL_BAR_CELLS - filled))
                    .append("] ");
        }
        text.append(percent).append('%');
        if (total > 0) {
            text.append(' ').append(bytes(completed, total));
        }
        return text.toString();
    }

    private static int percent(long completed, long total) {
        if (total <= 0) {
            return 0;
        }
        return (int) Math.max(0, Math.min(100, completed * 100 / total));
    }

    /** {@code 1.2/2.0 GB}: both in the unit the total reads best in. */
    static String bytes(long completed, long total) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int unit = 0;
        double scale = 1;
        while (unit < units.length - 1 && total >= scale * 1000) {
            scale *= 1000;
            unit++;
        }
        if (unit == 0) {
            return completed + "/" + total + " B";
        }
        return String.format(Locale.ROOT, "%.1f/%.1f %s", completed / scale, total / scale, units[unit]);
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
        setups.computeIfPresent(
                line.service(), (name, setup) -> new Setup(setup.command(), setup.since(), line.text()));
        String text = line.text();
        if (!color) {
            text = stripAnsi(text);
        }
        print(line.service(), colors.getOrDefault(line.service(), ""), text);
    }

    @Override
    public void accept(ServiceEvent event) {
        String name = event.service();
        Phase before = track(event);
        if (event.state() == ServiceState.STARTING && event.message().startsWith(SETUP_STARTED)) {
            setups.put(name, new Setup(event.message().substring(SETUP_STARTED.length()), event.time(), ""));
        } else {
            setups.remove(name);
        }
        switch (event.state()) {
            case STARTING -> {
                // A setup's end has no process of its own: "starting orders: setup done in 1.2s", not "(pid 0)".
                String pid = event.pid().isPresent() ? " (pid " + event.pid().getAsLong() + ")" : "";
                farm("starting " + name + dim(pid + ": " + event.message()));
            }
            case READY -> {
                Instant since =
                        before != null && before.state() == ServiceState.STARTING ? before.since() : event.time();
                Service service = services.get(name);
                Optional<String> address = service == null ? Optional.empty() : service.address();
                farm(name + " ready in " + seconds(Duration.between(since, event.time()))
                        + address.map(a -> "  " + highlight(a)).orElse(""));
            }
            case EXITED -> {
                boolean clean = event.exitCode().orElse(0) == 0;
                farm(clean ? name + " " + event.message() : red(name + " " + event.message()));
            }
            case RESTARTING -> farm(red(name + " " + event.message()));
            case SKIPPED -> farm(red(name + " skipped: " + event.message()));
            case STOPPING -> {
                // On a terminal the live line says how long farm has been waiting; elsewhere these lines do.
                boolean progress = event.message().startsWith("still stopping");
                if (!event.message().isEmpty() && !(progress && mode.interactive())) {
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

    /**
     * Notes the service's new state for the live line: a service that goes on starting (a restart during start) or
     * stopping (a progress event) keeps the time it began.
     *
     * @return the phase before this event, or null
     */
    private @Nullable Phase track(ServiceEvent event) {
        Phase before = phases.get(event.service());
        ServiceState state = event.state();
        if (before != null && before.state() == state) {
            return before;
        }
        phases.put(event.service(), new Phase(state, event.time(), event.time().plus(REPORT_AFTER)));
        return before;
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
            eraseLive();
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

    /**
     * Makes text stand out (bold) when colour is on, as URLs in the startup summary.
     *
     * @param text the text
     * @return the text, styled or as it is
     */
    public String highlight(String text) {
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
