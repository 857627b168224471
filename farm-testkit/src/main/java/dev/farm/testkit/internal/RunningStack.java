package dev.farm.testkit.internal;

import dev.farm.cli.DevServer;
import dev.farm.config.FarmConfig;
import dev.farm.process.LogLine;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStatus;
import dev.farm.testkit.FarmStackHandle;
import dev.farm.testkit.ServiceHandle;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A started stack: the {@link DevServer}, the last lines of each service, and every process id it reported, so that
 * closing can check that none is left. It is what the extension keeps in the class's store; JUnit closes it.
 */
public final class RunningStack implements FarmStackHandle, AutoCloseable {

    /** How many lines of each service are kept. */
    static final int KEPT_LINES = 200;

    /** How many lines of each service a failing test prints. */
    static final int DUMPED_LINES = 20;

    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(5);

    private final String description;
    private final DevServer server;
    private final Map<String, Deque<String>> lines = new LinkedHashMap<>();
    private final Map<Long, String> pids = new LinkedHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private long events;

    private RunningStack(String description, FarmConfig config, boolean proxy) {
        this.description = description;
        DevServer.Builder builder = DevServer.builder(config)
                .watch(false)
                .control(false)
                .listener(this::onEvent)
                .logSink(this::onLine);
        if (proxy) {
            builder.proxyPort(0);
        } else {
            builder.proxy(false);
        }
        this.server = builder.build();
        for (String name : config.services().keySet()) {
            lines.put(name, new ArrayDeque<>());
            services.put(name, new Service(name));
        }
    }

    /**
     * Starts a stack and returns once every service is ready.
     *
     * @param settings what to run
     * @return the running stack
     * @throws RuntimeException farm's own exception when the configuration is invalid or a service does not start;
     *     what did start is stopped first, and the last lines of every service are printed to standard error
     */
    public static RunningStack start(StackSettings settings) {
        FarmConfig config = settings.config().get();
        RunningStack stack = new RunningStack(settings.description(), config, settings.proxy());
        try {
            stack.server.start();
        } catch (RuntimeException e) {
            System.err.print(stack.dump("farm-testkit: " + settings.description() + " did not start"));
            try {
                stack.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return stack;
    }

    private void onEvent(ServiceEvent event) {
        synchronized (this) {
            event.pid().ifPresent(pid -> pids.putIfAbsent(pid, event.service()));
            events++;
            notifyAll();
        }
    }

    private void onLine(LogLine line) {
        synchronized (this) {
            Deque<String> kept = lines.computeIfAbsent(line.service(), s -> new ArrayDeque<>());
            kept.addLast(line.text());
            while (kept.size() > KEPT_LINES) {
                kept.removeFirst();
            }
        }
    }

    private synchronized List<String> lines(String service) {
        Deque<String> kept = lines.get(service);
        return kept == null ? List.of() : List.copyOf(kept);
    }

    /**
     * Describes the last lines of every service, for a failing test.
     *
     * @param headline the first line
     * @return the text, one line per line of output, each ending with a line break
     */
    String dump(String headline) {
        StringBuilder text = new StringBuilder(headline)
                .append("; the last lines of each service of ")
                .append(description)
                .append(":\n");
        int width = services.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (String name : services.keySet()) {
            String prefix = name + " ".repeat(width - name.length()) + " | ";
            List<String> all = lines(name);
            List<String> last = all.subList(Math.max(0, all.size() - DUMPED_LINES), all.size());
            if (last.isEmpty()) {
                text.append(prefix).append("(nothing written)\n");
            }
            last.forEach(line -> text.append(prefix).append(line).append('\n'));
        }
        return text.toString();
    }

    @Override
    public ServiceHandle service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("service: " + name + " (expected one of " + services.keySet()
                    + ", the services of " + description + ")");
        }
        return service;
    }

    @Override
    public List<String> services() {
        return List.copyOf(services.keySet());
    }

    @Override
    public Optional<URI> proxyUrl() {
        OptionalInt port = server.proxyPort();
        return port.isEmpty() ? Optional.empty() : Optional.of(URI.create("http://127.0.0.1:" + port.getAsInt()));
    }

    @Override
    public DevServer server() {
        return server;
    }

    /**
     * Stops every process of the stack, then checks that none of the processes farm reported is still alive.
     *
     * @throws IllegalStateException when one is; it is killed first
     */
    @Override
    public void close() {
        Set<Long> adopted = new HashSet<>();
        for (String name : services.keySet()) {
            try {
                ServiceStatus status = server.status(name);
                if (status.adopted()) {
                    status.pid().ifPresent(adopted::add);
                }
            } catch (IllegalStateException notStarted) {
                // nothing of it runs
            }
        }
        server.close();
        Map<Long, String> reported;
        synchronized (this) {
            reported = new LinkedHashMap<>(pids);
        }
        List<String> leftovers = new ArrayList<>();
        for (Map.Entry<Long, String> pid : reported.entrySet()) {
            if (!adopted.contains(pid.getKey()) && !ended(pid.getKey())) {
                leftovers.add(pid.getValue() + " (pid " + pid.getKey() + ")");
                ProcessHandle.of(pid.getKey()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("farm-testkit: after " + description + " stopped, processes were still "
                    + "alive: " + String.join(", ", leftovers) + ". They are killed now; this is a bug in farm.");
        }
    }

    /** Tells whether a process has ended, allowing a moment for the JVM to reap it. */
    private static boolean ended(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        try {
            process.get().onExit().get(LEFTOVER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.get().isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !process.get().isAlive();
        }
    }

    private static void join(CompletableFuture<Void> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** One service, as {@link ServiceHandle}. */
    private final class Service implements ServiceHandle {
        private final String name;

        Service(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ServiceStatus status() {
            return server.status(name);
        }

        @Override
        public ServiceState state() {
            return server.state(name);
        }

        @Override
        public OptionalInt port() {
            return status().port();
        }

        @Override
        public URI url() {
            OptionalInt port = port();
            if (port.isEmpty()) {
                throw new IllegalStateException("service '" + name + "' has no port; give it one in farm.yaml "
                        + "(services." + name + ".port) to reach it by URL");
            }
            return URI.create("http://127.0.0.1:" + port.getAsInt());
        }

        @Override
        public List<String> recentLines() {
            return lines(name);
        }

        @Override
        public int restarts() {
            return Math.max(0, status().incarnation() - 1);
        }

        @Override
        public void restart() {
            join(server.restart(name));
        }

        @Override
        public void stop() {
            join(server.stop(name));
        }

        @Override
        public void start() {
            join(server.start(name));
        }

        @Override
        public void awaitState(ServiceState state, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long seen;
                synchronized (RunningStack.this) {
                    seen = events;
                }
                ServiceState now = state(); // outside this lock: the supervisor takes its own
                if (now == state) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<String> all = lines(name);
                    throw new AssertionError("service '" + name + "' was not " + state + " within " + timeout
                            + "; it is " + now + " (" + status().message() + "). Its last lines:\n  "
                            + String.join("\n  ", all.subList(Math.max(0, all.size() - DUMPED_LINES), all.size())));
                }
                synchronized (RunningStack.this) {
                    if (events == seen) { // nothing happened since the state was read: wait for the next event
                        // at most 200 ms, in case a state changes after its event is published
                        RunningStack.this.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
                    }
                }
            }
        }
    }
}
