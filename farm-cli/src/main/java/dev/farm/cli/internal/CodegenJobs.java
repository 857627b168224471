package dev.farm.cli.internal;

import dev.farm.codegen.Codegen;
import dev.farm.codegen.CodegenException;
import dev.farm.codegen.CodegenOutcome;
import dev.farm.codegen.Diagnostic;
import dev.farm.codegen.OpenApiSource;
import dev.farm.codegen.OpenApiText;
import dev.farm.config.CodegenConfig;
import dev.farm.config.FarmConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import dev.farm.watch.ChangeWatcher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code codegen} jobs of a {@code farm dev} stack: each once at startup (a job whose document a service
 * serves once that service is first ready, the others right away) and again whenever it is asked to (its {@code on}
 * globs changed, or a watch rule says {@code { codegen: NAME }}).
 *
 * <p>A rerun of a job whose document comes from a service first waits for the service to be ready (the same change
 * may have restarted it) and then for the document to differ from the one the job last read, fetching it every
 * {@link #POLL} for at most {@link #SETTLE} once the service is ready, then generates from whatever it got. So a
 * backend that reloads itself (uvicorn {@code --reload}) is not raced. A document that cannot be fetched at all is
 * tried for up to {@link #UNREACHABLE_WAIT}, as the backend may still be reloading.
 *
 * <p>Each job has at most one run in flight and one pending: requests made while it runs are merged into one more run.
 * Runs happen on daemon threads named {@code farm-cli-codegen-N}. Every outcome is one of farm's lines (changed,
 * unchanged, or failed with the diagnostic); a failed run leaves the output as it was, and nothing a job does stops
 * the stack. Output files are written under a lock that {@link #startWatcher} holds too, and the watcher is told of
 * each write, so farm's own output never triggers a watch rule.
 */
public final class CodegenJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CodegenJobs.class);

    /** How often a rerun fetches the document while it waits for it to change. */
    static final Duration POLL = Duration.ofMillis(100);

    /** How long after its service is ready a rerun waits for the document to change. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    /** How long after its service is ready a rerun keeps fetching a document that cannot be fetched. */
    static final Duration UNREACHABLE_WAIT = Duration.ofSeconds(10);

    /** How long a rerun waits for its service to be ready again. */
    static final Duration READY_WAIT = Duration.ofMinutes(2);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Path directory;
    private final Function<String, ServiceState> states;
    private final Consumer<String> say;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Set<String> readySeen = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "farm-cli-codegen-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Object writes = new Object();
    private @Nullable ChangeWatcher watcher; // guarded by writes

    /**
     * Creates the jobs of a configuration; nothing runs until {@link #start()} or a service's first ready event.
     *
     * @param config the configuration
     * @param states tells a service's current state
     * @param say prints one of farm's own lines; must be thread-safe
     */
    public CodegenJobs(FarmConfig config, Function<String, ServiceState> states, Consumer<String> say) {
        this.directory = config.directory();
        this.states = states;
        this.say = say;
        for (CodegenConfig job : config.codegen().values()) {
            jobs.put(job.name(), new Job(job, config));
        }
    }

    /**
     * Tells whether the configuration has any job.
     *
     * @return true when there is nothing to run
     */
    public boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Runs every job whose document comes from a file or a command; those from a service wait for it to be ready. */
    public void start() {
        for (Job job : jobs.values()) {
            if (job.service == null) {
                job.request(false);
            }
        }
    }

    /**
     * Takes a service event: a service's first ready runs the jobs whose document it serves.
     *
     * @param event the event, on a supervisor thread; returns at once
     */
    public void accept(ServiceEvent event) {
        if (event.state() != ServiceState.READY || !readySeen.add(event.service())) {
            return;
        }
        for (Job job : jobs.values()) {
            if (event.service().equals(job.service)) {
                job.request(false);
            }
        }
    }

    /**
     * Asks for a run of a job because something it depends on changed; merged with a run already pending.
     *
     * @param name the job's name
     */
    public void changed(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            say.accept("warning: no codegen job '" + name + "' in this stack (jobs: " + String.join(", ", jobs.keySet())
                    + "); restart farm dev after adding one to the config.");
            return;
        }
        job.request(true);
    }

    /**
     * Starts the watcher while no job writes its output, and from then on tells it of every write, so that neither
     * its initial scan nor its later checks see farm's own output as a change.
     *
     * @param created the watcher, not started
     * @param listener what it reports to
     */
    public void startWatcher(ChangeWatcher created, ChangeWatcher.Listener listener) {
        synchronized (writes) {
            created.start(listener);
            watcher = created;
        }
    }

    /** Stops every run; waits briefly for runs that are writing their output. */
    @Override
    public void close() {
        closed.countDown();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("codegen runs still busy after 5 s; leaving them to finish on their own");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (writes) {
            watcher = null;
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits one poll interval; false when closed meanwhile. */
    private boolean pause() {
        try {
            return !closed.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String shown(Path out) {
        Path absolute = out.toAbsolutePath().normalize();
        Path base = directory.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }

    /** What one read of the document gave: its text, or why there is none. */
    private record Fetched(
            @Nullable OpenApiText text, @Nullable CodegenException failure, long nanos) {}

    /** A source that gives what was fetched already, so the write lock is held only while generating and writing. */
    private record Prefetched(Fetched fetched, String description) implements OpenApiSource {
        @Override
        public OpenApiText read() {
            OpenApiText text = fetched.text();
            if (text == null) {
                CodegenException failure = Objects.requireNonNull(fetched.failure());
                throw failure;
            }
            return text;
        }
    }

    /** One job and its single-flight state. */
    private final class Job {
        private final CodegenConfig config;
        private final @Nullable String service;
        private final @Nullable OpenApiSource source;
        private final String cannot;
        private boolean running; // guarded by this
        private boolean pending; // guarded by this
        private boolean pendingSettle; // guarded by this
        private @Nullable String lastText; // only the running thread touches it

        Job(CodegenConfig config, FarmConfig stack) {
            this.config = config;
            if (config.from() instanceof CodegenConfig.FromService from) {
                this.service = from.service();
                ServiceConfig served = stack.services().get(from.service());
                if (served == null) {
                    this.source = null;
                    this.cannot = "its document comes from the service '" + from.service()
                            + "', which this stack does not run. Start farm dev with that service.";
                } else if (served.port().isEmpty()) {
                    this.source = null;
                    this.cannot = "its document comes from the service '" + from.service()
                            + "', which has no port. Give services." + from.service() + " a port (or port: auto).";
                } else {
                    this.source = OpenApiSource.url(
                            URI.create("http://127.0.0.1:" + served.port().getAsInt() + from.path()),
                            CodegenCommand.URL_TIMEOUT);
                    this.cannot = "";
                }
            } else {
                this.service = null;
                this.source = CodegenCommand.source(config, stack.directory()).orElseThrow();
                this.cannot = "";
            }
        }

        void request(boolean settle) {
            synchronized (this) {
                if (running) {
                    pending = true;
                    pendingSettle |= settle;
                    return;
                }
                running = true;
            }
            try {
                executor.execute(() -> runAll(settle));
            } catch (RejectedExecutionException closing) {
                synchronized (this) {
                    running = false;
                }
            }
        }

        private void runAll(boolean settle) {
            boolean next = settle;
            try {
                while (!isClosed()) {
                    try {
                        runOnce(next);
                    } catch (RuntimeException e) {
                        LOG.warn("codegen job '{}' failed unexpectedly", config.name(), e);
                        say.accept("codegen " + config.name() + ": failed: " + e + "; kept the last good output");
                    }
                    synchronized (this) {
                        if (!pending) {
                            return;
                        }
                        pending = false;
                        next = pendingSettle;
                        pendingSettle = false;
                    }
                }
            } finally {
                synchronized (this) {
                    running = false;
                }
            }
        }

        private void runOnce(boolean settle) {
            OpenApiSource from = source;
            if (from == null) {
                say.accept("codegen " + config.name() + ": cannot run: " + cannot);
                return;
            }
            Fetched fetched = service != null && settle ? settled(from, service) : fetch(from);
            if (fetched == null) {
                return;
            }
            generate(from, fetched);
        }

        private Fetched fetch(OpenApiSource from) {
            long begin = System.nanoTime();
            try {
                return new Fetched(from.read(), null, System.nanoTime() - begin);
            } catch (CodegenException e) {
                return new Fetched(null, e, System.nanoTime() - begin);
            } catch (RuntimeException e) {
                CodegenException failure = new CodegenException(
                        new Diagnostic(from.description(), "", "cannot read the document: " + e), e);
                return new Fetched(null, failure, System.nanoTime() - begin);
            }
        }

        /**
         * Waits for the service to be ready, then for its document to differ from the last one read (or the settle
         * time to pass); empty when the service is gone for good or farm is closing.
         */
        private @Nullable Fetched settled(OpenApiSource from, String name) {
            long readyBy = System.nanoTime() + READY_WAIT.toNanos();
            long settleBy = 0;
            long unreachableBy = 0;
            boolean ready = false;
            do {
                ServiceState state = states.apply(name);
                if (state != ServiceState.READY) {
                    ready = false;
                    if (state.isFinal()) {
                        say.accept("codegen " + config.name() + ": skipped: the service '" + name + "' is "
                                + state.name().toLowerCase(Locale.ROOT) + "; the job runs again on the next change");
                        return null;
                    }
                    if (System.nanoTime() - readyBy > 0) {
                        say.accept("codegen " + config.name() + ": skipped: the service '" + name
                                + "' was not ready again after " + READY_WAIT.toMinutes()
                                + " min; the job runs again on the next change");
                        return null;
                    }
                    continue;
                }
                if (!ready) {
                    ready = true;
                    long now = System.nanoTime();
                    settleBy = now + SETTLE.toNanos();
                    unreachableBy = now + UNREACHABLE_WAIT.toNanos();
                }
                Fetched latest = fetch(from);
                OpenApiText text = latest.text();
                if (text != null && !text.text().equals(lastText)) {
                    return latest;
                }
                long now = System.nanoTime();
                if (now - settleBy >= 0 && (text != null || now - unreachableBy >= 0)) {
                    return latest;
                }
            } while (pause());
            return null;
        }

        private void generate(OpenApiSource from, Fetched fetched) {
            OpenApiText text = fetched.text();
            if (text != null) {
                lastText = text.text();
            }
            CodegenOutcome outcome;
            synchronized (writes) {
                if (isClosed()) {
                    return;
                }
                outcome = Codegen.run(
                        new Prefetched(fetched, from.description()), config.out(), CodegenCommand.options(config));
                ChangeWatcher watching = watcher;
                if (outcome.status() == CodegenOutcome.Status.CHANGED && watching != null) {
                    try {
                        watching.wrote(config.out().toAbsolutePath().normalize());
                    } catch (IllegalStateException closing) {
                        // the watcher is closing with the stack: nothing to trigger any more
                    }
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(fetched.nanos())
                    + outcome.duration().toMillis();
            String out = shown(config.out());
            String warnings = outcome.warnings().isEmpty()
                    ? ""
                    : ", " + outcome.warnings().size() + " warnings (farm -v dev lists them)";
            switch (outcome.status()) {
                case CHANGED ->
                    say.accept("codegen " + config.name() + ": changed " + out + " in " + millis + " ms" + warnings);
                case UNCHANGED ->
                    say.accept("codegen " + config.name() + ": unchanged " + out + " in " + millis + " ms" + warnings);
                case FAILED ->
                    say.accept("codegen " + config.name() + ": failed: " + outcome.diagnostic() + "; "
                            + (Files.exists(config.out()) ? "kept the last good output" : "nothing written yet"));
            }
            if (LOG.isDebugEnabled()) {
                outcome.warnings().forEach(warning -> say.accept("codegen " + config.name() + ": warning: " + warning));
            }
        }
    }
}
