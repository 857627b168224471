package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.config.FarmConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the {@code models} of every {@code preset: ollama} service: each time such a service is ready, it asks {@code
 * GET /api/tags} what is installed and pulls each configured model that is missing through {@code POST /api/pull},
 * reading Ollama's NDJSON progress and reporting it to a {@link Progress}. A reload whose {@code models} gained names
 * pulls those at once if the service is ready.
 *
 * <p>Pulls run one at a time, in order, on one daemon thread named {@code farm-cli-pull-N}; a pull that fails (an
 * error line in the stream, a refused connection, an HTTP error) is reported and the next goes on. Nothing here stops
 * the stack.
 */
public final class ModelPulls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPulls.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a connection may take to open, and how long the stream may stay silent. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Where pull progress goes. Called on the pull thread, one model at a time.
     */
    public interface Progress {

        /**
         * Bytes arrived for a model.
         *
         * @param service the ollama service
         * @param model the model as configured
         * @param completed bytes received so far, over all layers
         * @param total bytes to receive, over the layers seen so far
         */
        void progress(String service, String model, long completed, long total);

        /**
         * A model's pull ended.
         *
         * @param service the ollama service
         * @param model the model as configured
         * @param error empty when it succeeded; otherwise what went wrong
         * @param took how long it took
         */
        void finished(String service, String model, String error, Duration took);
    }

    private final Map<String, List<String>> models = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Function<String, ServiceState> states;
    private final Progress progress;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "farm-cli-pull-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private volatile @Nullable HttpURLConnection current;
    private volatile boolean closed;

    /**
     * Creates the pulls of a configuration; nothing happens until a service is ready.
     *
     * @param config the configuration
     * @param states tells a service's current state
     * @param progress where progress and outcomes go; must be thread-safe
     * @param clock for the time a pull took
     */
    public ModelPulls(FarmConfig config, Function<String, ServiceState> states, Progress progress, Clock clock) {
        this.states = states;
        this.progress = progress;
        this.clock = clock;
        learn(config);
    }

    /** Whether a service is one whose models farm pulls: the ollama preset, with a port. */
    static boolean pulls(ServiceConfig service) {
        return service.preset().filter("ollama"::equals).isPresent()
                && service.port().isPresent();
    }

    private Set<String> learn(FarmConfig config) {
        Set<String> changed = new HashSet<>();
        for (ServiceConfig service : config.services().values()) {
            if (!pulls(service)) {
                continue;
            }
            List<String> before = models.put(service.name(), List.copyOf(service.models()));
            ports.put(service.name(), service.port().getAsInt());
            if (before != null && !before.equals(service.models())) {
                changed.add(service.name());
            }
        }
        return changed;
    }

    /**
     * Takes a service event: an ollama service that is ready gets its missing models pulled.
     *
     * @param event the event, on a supervisor thread; returns at once
     */
    public void accept(ServiceEvent event) {
        if (event.state() == ServiceState.READY && models.containsKey(event.service())) {
            schedule(event.service());
        }
    }

    /**
     * Takes a reloaded configuration: a ready ollama service whose {@code models} changed gets the new ones pulled.
     *
     * @param next the configuration just read
     */
    public void reloaded(FarmConfig next) {
        for (String service : learn(next)) {
            ServiceState state;
            try {
                state = states.apply(service);
            } catch (RuntimeException e) {
                continue; // a service the running stack does not have
            }
            if (state == ServiceState.READY) {
                schedule(service);
            }
        }
    }

    private void schedule(String service) {
        if (closed || models.getOrDefault(service, List.of()).isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> pullMissing(service));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void pullMissing(String service) {
        URI base = URI.create("http://127.0.0.1:" + ports.get(service));
        Set<String> installed;
        try {
            installed = installed(base);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                for (String model : models.getOrDefault(service, List.of())) {
                    progress.finished(
                            service, model, "cannot list the models at " + base + "/api/tags: " + e, Duration.ZERO);
                }
            }
            return;
        }
        for (String model : models.getOrDefault(service, List.of())) {
            if (closed) {
                return;
            }
            if (installed.contains(canonical(model))) {
                LOG.debug("{}: model {} is installed already", service, model);
                continue;
            }
            Instant begin = clock.instant();
            String error;
            try {
                error = pull(base, service, model);
            } catch (IOException | RuntimeException e) {
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (closed) {
                return;
            }
            progress.finished(service, model, error, Duration.between(begin, clock.instant()));
        }
    }

    private Set<String> installed(URI base) throws IOException {
        HttpURLConnection connection = open(base.resolve("/api/tags"), "GET");
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            JsonNode tags;
            try (InputStream in = connection.getInputStream()) {
                tags = JSON.readTree(in);
            }
            Set<String> names = new HashSet<>();
            for (JsonNode model : tags.path("models")) {
                names.add(
                        canonical(model.path("name").asText(model.path("model").asText(""))));
            }
            return names;
        } finally {
            connection.disconnect();
        }
    }

    /** Pulls one model; returns empty on success, or the error. */
    private String pull(URI base, String service, String model) throws IOException {
        HttpURLConnection connection = open(base.resolve("/api/pull"), "POST");
        current = connection;
        try {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            byte[] body = JSON.writeValueAsBytes(Map.of("model", model, "stream", true));
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                return "HTTP " + status + errorOf(connection.getErrorStream());
            }
            Map<String, long[]> layers = new LinkedHashMap<>();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode event = JSON.readTree(line);
                    if (event.hasNonNull("error")) {
                        return event.get("error").asText();
                    }
                    if (event.hasNonNull("digest") && event.has("total")) {
                        layers.put(event.get("digest").asText(), new long[] {
                            event.path("completed").asLong(0),
                            event.get("total").asLong()
                        });
                        long completed = 0;
                        long total = 0;
                        for (long[] layer : layers.values()) {
                            completed += layer[0];
                            total += layer[1];
                        }
                        progress.progress(service, model, completed, total);
                    }
                    if ("success".equals(event.path("status").asText())) {
                        return "";
                    }
                }
            }
            return "the stream ended before success";
        } finally {
            current = null;
            connection.disconnect();
        }
    }

    private static String errorOf(@Nullable InputStream error) {
        if (error == null) {
            return "";
        }
        try (error) {
            JsonNode body = JSON.readTree(error);
            return body.hasNonNull("error") ? ": " + body.get("error").asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static HttpURLConnection open(URI url, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) TIMEOUT.toMillis());
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        return connection;
    }

    /** {@code llama3.1} and {@code llama3.1:latest} are one model. */
    static String canonical(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.indexOf(':') < 0 ? lower + ":latest" : lower;
    }

    /** Stops the pull under way (its connection is cut) and any pending; may be called twice. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        HttpURLConnection running = current;
        if (running != null) {
            running.disconnect();
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a model pull is still busy after 5 s; leaving it to end on its own");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
