package dev.farm.cli.internal.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.farm.process.LogLine;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceStartException;
import dev.farm.process.spi.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API of a running stack: JSON over HTTP/1.1 on 127.0.0.1, every request with the bearer token of
 * {@code .farm/run/control.json}.
 *
 * <pre>
 * GET  /v1                              the farm: project, pid, config
 * GET  /v1/services                     every service's status (?view=table: as farm ps prints it, ?view=pretty)
 * GET  /v1/services/{name}              one service's status
 * POST /v1/services/{name}/start|stop|restart   (?wait=false answers at once with 202)
 * POST /v1/services/{name}/heartbeat    the service says it is alive (heartbeat probes)
 * GET  /v1/logs?service=&amp;n=&amp;since=&amp;follow=true   NDJSON, one line per output line
 * GET  /v1/events                       server-sent events: each service's status, then every state change
 * POST /v1/shutdown                     stop the stack, as Ctrl-C does
 * </pre>
 *
 * <p>The JDK's HTTP server, not Netty: the API sees a few requests a minute and a handful of long-lived streams, for
 * which blocking handlers on a small pool are simpler to get right than a pipeline, and it starts in a few
 * milliseconds. It is a {@link LogSink} and an event listener: the stack feeds it every line and event, which it hands
 * to the streams that follow them without ever blocking the caller.
 */
public final class ControlServer implements LogSink, Consumer<ServiceEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many lines or events a stream may fall behind before it is told it lost some. */
    private static final int STREAM_BUFFER = 10_000;
    /** How many streams may be open at once; more get 503. */
    private static final int MAX_STREAMS = 64;

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    /** What the control API controls: a running stack. */
    public interface Stack {
        /**
         * Returns the project's name.
         *
         * @return the name
         */
        String project();

        /**
         * Returns the config file the stack runs.
         *
         * @return the file
         */
        Path config();

        /**
         * Returns the services, in config order.
         *
         * @return the names
         */
        List<String> services();

        /**
         * Returns a service's status as JSON-ready values (see {@link StatusJson}).
         *
         * @param service a service name
         * @return the status
         */
        ObjectNode status(String service);

        /**
         * Returns a service's recent output lines, oldest first.
         *
         * @param service a service name
         * @return the lines
         */
        List<LogLine> recentLines(String service);

        /**
         * Starts a service.
         *
         * @param service a service name
         * @return completes when it is ready
         */
        CompletableFuture<Void> start(String service);

        /**
         * Stops a service.
         *
         * @param service a service name
         * @return completes when nothing of it is left
         */
        CompletableFuture<Void> stop(String service);

        /**
         * Restarts a service.
         *
         * @param service a service name
         * @return completes when the new incarnation is ready
         */
        CompletableFuture<Void> restart(String service);

        /**
         * Records a service's heartbeat.
         *
         * @param service a service name
         */
        void heartbeat(String service);

        /** Stops the whole stack, as Ctrl-C does; returns at once. */
        void shutdown();

        /**
         * Renders the answer of {@code GET /v1/services} as {@code farm ps} prints it.
         *
         * @param services the answer
         * @param color whether to colour it
         * @return the text
         */
        String table(ObjectNode services, boolean color);
    }

    private final Stack stack;
    private final InetAddress host;
    private final Clock clock;
    private final String token;
    private final List<Stream<LogLine>> logStreams = new CopyOnWriteArrayList<>();
    private final List<Stream<ServiceEvent>> eventStreams = new CopyOnWriteArrayList<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile boolean closing;
    private @Nullable HttpServer server;
    private @Nullable ExecutorService executor;
    private @Nullable ControlFile file;
    private @Nullable Path filePath;

    /**
     * Creates the server; nothing listens until {@link #start(Path)}.
     *
     * @param stack what it controls
     * @param host the address to listen on
     * @param allowRemote whether a non-loopback {@code host} is allowed
     * @param clock the clock
     * @throws IllegalArgumentException for a non-loopback host without {@code allowRemote}
     */
    public ControlServer(Stack stack, InetAddress host, boolean allowRemote, Clock clock) {
        if (!host.isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException(
                    "the control API listens on loopback only, not on " + host.getHostAddress()
                            + ": anyone who reaches it can stop or restart the stack. Say --control-allow-remote to allow it.");
        }
        this.stack = stack;
        this.host = host;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * Listens on an ephemeral port and writes the control file.
     *
     * @param controlFile where to write {@code control.json}
     * @return the file's content
     * @throws UncheckedIOException when the port cannot be bound or the file written
     */
    public synchronized ControlFile start(Path controlFile) {
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(host, 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the control API cannot listen on " + host.getHostAddress() + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(1, MAX_STREAMS + 8, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "farm-cli-control-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        created.setExecutor(pool);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        executor = pool;
        String address =
                host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
        URI url = URI.create("http://" + address + ":" + created.getAddress().getPort());
        ControlFile written = ControlFile.forThisProcess(url, token, stack.project(), stack.config());
        written.write(controlFile);
        file = written;
        filePath = controlFile;
        return written;
    }

    /**
     * Returns the API's base URL.
     *
     * @return the URL
     * @throws IllegalStateException before {@link #start(Path)}
     */
    public synchronized URI url() {
        if (file == null) {
            throw new IllegalStateException("the control API is not started");
        }
        return file.url();
    }

    /**
     * Returns the bearer token.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    @Override
    public void accept(LogLine line) {
        for (Stream<LogLine> stream : logStreams) {
            stream.offer(line);
        }
    }

    @Override
    public void accept(ServiceEvent event) {
        for (Stream<ServiceEvent> stream : eventStreams) {
            stream.offer(event);
        }
    }

    /** Ends every stream, stops listening and removes the control file. */
    @Override
    public void close() {
        HttpServer listening;
        ExecutorService pool;
        ControlFile written;
        Path path;
        synchronized (this) {
            closing = true;
            listening = server;
            pool = executor;
            written = file;
            path = filePath;
            server = null;
        }
        logStreams.forEach(Stream::end);
        eventStreams.forEach(Stream::end);
        if (written != null && path != null) {
            written.deleteIfOurs(path);
        }
        if (listening != null) {
            listening.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ requests

    private void handle(HttpExchange exchange) {
        try {
            drain(exchange.getRequestBody());
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"farm\"");
                error(
                        exchange,
                        401,
                        "missing or wrong bearer token: send Authorization: Bearer <token> with the token"
                                + " from .farm/run/control.json");
                return;
            }
            route(exchange);
        } catch (IOException e) {
            LOG.debug(
                    "control API: {} {}: the client went away: {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.warn("control API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            try {
                error(exchange, 500, "internal error: " + e);
            } catch (IOException | RuntimeException ignored) {
                // the response was under way
            }
        } finally {
            exchange.close();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (!part.isEmpty()) {
                parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        if (parts.isEmpty() || !parts.get(0).equals("v1")) {
            error(exchange, 404, "no such endpoint: " + path + " (the API is under /v1)");
            return;
        }
        if (parts.size() == 1) {
            if (allow(exchange, method, "GET")) {
                ObjectNode info = JSON.createObjectNode();
                info.put("project", stack.project());
                info.put("pid", ProcessHandle.current().pid());
                info.put("config", stack.config().toString());
                send(exchange, 200, info);
            }
            return;
        }
        switch (parts.get(1)) {
            case "services" -> services(exchange, method, parts, query);
            case "logs" -> {
                if (allow(exchange, method, "GET")) {
                    logs(exchange, query);
                }
            }
            case "events" -> {
                if (allow(exchange, method, "GET")) {
                    events(exchange);
                }
            }
            case "shutdown" -> {
                if (allow(exchange, method, "POST")) {
                    ObjectNode body = JSON.createObjectNode();
                    body.put("stopping", stack.project());
                    body.put("pid", ProcessHandle.current().pid());
                    send(exchange, 202, body);
                    stack.shutdown();
                }
            }
            default -> error(exchange, 404, "no such endpoint: " + path);
        }
    }

    private void services(HttpExchange exchange, String method, List<String> parts, Map<String, List<String>> query)
            throws IOException {
        if (parts.size() == 2) {
            if (allow(exchange, method, "GET")) {
                ObjectNode body = JSON.createObjectNode();
                body.put("project", stack.project());
                body.put("pid", ProcessHandle.current().pid());
                ArrayNode list = body.putArray("services");
                for (String service : stack.services()) {
                    list.add(stack.status(service));
                }
                String view = query.getOrDefault("view", List.of("json")).get(0);
                if (view.equals("table")) {
                    // farm ps prints this as it is: the client starts without a JSON library
                    boolean color =
                            query.getOrDefault("color", List.of("false")).contains("true");
                    sendText(exchange, stack.table(body, color));
                } else if (view.equals("pretty")) {
                    sendText(
                            exchange,
                            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + System.lineSeparator());
                } else {
                    send(exchange, 200, body);
                }
            }
            return;
        }
        String name = parts.get(2);
        if (!known(exchange, name)) {
            return;
        }
        if (parts.size() == 3) {
            if (allow(exchange, method, "GET")) {
                send(exchange, 200, stack.status(name));
            }
            return;
        }
        if (parts.size() != 4) {
            error(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getRawPath());
            return;
        }
        String action = parts.get(3);
        if (!List.of("start", "stop", "restart", "heartbeat").contains(action)) {
            error(exchange, 404, "no such action: " + action + " (expected start, stop, restart or heartbeat)");
            return;
        }
        if (!allow(exchange, method, "POST")) {
            return;
        }
        if (action.equals("heartbeat")) {
            stack.heartbeat(name);
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        if (closing) {
            error(exchange, 503, stack.project() + " is stopping");
            return;
        }
        Instant begin = clock.instant();
        CompletableFuture<Void> done;
        try {
            done = switch (action) {
                case "start" -> stack.start(name);
                case "stop" -> stack.stop(name);
                default -> stack.restart(name);
            };
        } catch (IllegalStateException e) {
            error(exchange, 503, e.getMessage());
            return;
        }
        if (query.getOrDefault("wait", List.of("true")).contains("false")) {
            ObjectNode body = JSON.createObjectNode();
            body.put("accepted", action);
            body.put("service", name);
            send(exchange, 202, body);
            return;
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, stack.project() + " is stopping");
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            int status = cause instanceof ServiceStartException ? 409 : 500;
            ObjectNode body = errorBody(cause == null ? e.toString() : String.valueOf(cause.getMessage()));
            body.put("service", name);
            body.set("status", stack.status(name));
            send(exchange, status, body);
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("done", action);
        body.put("took_ms", Duration.between(begin, clock.instant()).toMillis());
        body.set("status", stack.status(name));
        send(exchange, 200, body);
    }

    private void logs(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
        List<String> wanted = new ArrayList<>();
        for (String value : query.getOrDefault("service", List.of())) {
            for (String name : value.split(",", -1)) {
                if (!name.isBlank()) {
                    wanted.add(name.trim());
                }
            }
        }
        for (String name : wanted) {
            if (!known(exchange, name)) {
                return;
            }
        }
        List<String> services = wanted.isEmpty() ? stack.services() : List.copyOf(new HashSet<>(wanted));
        int n;
        Optional<Instant> since;
        try {
            n = Integer.parseInt(query.getOrDefault("n", List.of("100")).get(0));
            if (n < 0) {
                throw new NumberFormatException();
            }
            since = query.containsKey("since")
                    ? Optional.of(Instant.parse(query.get("since").get(0)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            error(exchange, 400, "n: expected a number of lines >= 0, found " + query.get("n"));
            return;
        } catch (DateTimeParseException e) {
            error(
                    exchange,
                    400,
                    "since: expected an instant such as 2026-12-01T10:00:00Z, found " + query.get("since"));
            return;
        }
        boolean follow = query.getOrDefault("follow", List.of("false")).contains("true");
        Set<String> filter = Set.copyOf(services);
        Stream<LogLine> stream = null;
        if (follow) {
            if (!openStream()) {
                error(exchange, 503, "too many open streams (" + MAX_STREAMS + ")");
                return;
            }
            stream = new Stream<>(line -> filter.contains(line.service()));
            logStreams.add(stream); // before the snapshot: no line falls between the two
        }
        try {
            List<LogLine> snapshot = new ArrayList<>();
            for (String service : services) {
                List<LogLine> lines = stack.recentLines(service);
                if (since.isPresent()) {
                    Instant from = since.get();
                    lines = lines.stream()
                            .filter(line -> !line.time().isBefore(from))
                            .toList();
                }
                snapshot.addAll(lines.subList(Math.max(0, lines.size() - n), lines.size()));
            }
            snapshot.sort(Comparator.comparing(LogLine::time)); // stable: a service's lines keep their order
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (stream == null) {
                StringBuilder text = new StringBuilder();
                for (LogLine line : snapshot) {
                    text.append(lineJson(line)).append('\n');
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            Set<LogLine> seen = new HashSet<>(snapshot.subList(Math.max(0, snapshot.size() - 1024), snapshot.size()));
            for (LogLine line : snapshot) {
                out.write((lineJson(line) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            boolean deduplicating = !seen.isEmpty();
            while (true) {
                Stream.Item<LogLine> item = stream.take(KEEP_ALIVE);
                if (item.end()) {
                    return;
                }
                if (item.lost() > 0) {
                    out.write(("{\"service\":\"farm\",\"stream\":\"farm\",\"time\":\"" + clock.instant()
                                    + "\",\"text\":\"" + item.lost() + " lines lost: this client read too slowly\"}\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                LogLine line = item.value();
                if (line == null) {
                    out.write('\n'); // keep-alive: an empty line, which NDJSON readers skip; finds a gone client
                } else if (deduplicating && seen.contains(line)) {
                    continue;
                } else {
                    deduplicating = false;
                    out.write((lineJson(line) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                if (stream.isEmpty()) {
                    out.flush();
                }
            }
        } finally {
            if (stream != null) {
                logStreams.remove(stream);
                openStreams.decrementAndGet();
            }
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        if (!openStream()) {
            error(exchange, 503, "too many open streams (" + MAX_STREAMS + ")");
            return;
        }
        Stream<ServiceEvent> stream = new Stream<>(event -> true);
        eventStreams.add(stream);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String service : stack.services()) {
                out.write(("event: status\ndata: " + JSON.writeValueAsString(stack.status(service)) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            while (true) {
                Stream.Item<ServiceEvent> item = stream.take(KEEP_ALIVE);
                if (item.end()) {
                    out.write("event: end\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (item.lost() > 0) {
                    out.write(
                            ("event: lost\ndata: {\"lost\":" + item.lost() + "}\n\n").getBytes(StandardCharsets.UTF_8));
                }
                ServiceEvent event = item.value();
                if (event == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(("event: service\ndata: " + JSON.writeValueAsString(StatusJson.event(event)) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                if (stream.isEmpty()) {
                    out.flush();
                }
            }
        } finally {
            eventStreams.remove(stream);
            openStreams.decrementAndGet();
        }
    }

    /** Whether the stack has the service; if not, answers 404 naming the services it has. */
    private boolean known(HttpExchange exchange, String name) throws IOException {
        if (stack.services().contains(name)) {
            return true;
        }
        error(
                exchange,
                404,
                "no service '" + name + "' in " + stack.project() + " (services: " + String.join(", ", stack.services())
                        + ")");
        return false;
    }

    private boolean openStream() {
        if (openStreams.incrementAndGet() > MAX_STREAMS) {
            openStreams.decrementAndGet();
            return false;
        }
        return true;
    }

    private static String lineJson(LogLine line) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("service", line.service());
        node.put("stream", line.stream().name().toLowerCase(Locale.ROOT));
        node.put("time", line.time().toString());
        node.put("text", line.text());
        return JSON.writeValueAsString(node);
    }

    private static boolean allow(HttpExchange exchange, String method, String allowed) throws IOException {
        if (method.equals(allowed)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        error(exchange, 405, exchange.getRequestURI().getRawPath() + " takes " + allowed + ", not " + method);
        return false;
    }

    private static ObjectNode errorBody(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        return body;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, errorBody(message));
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sendText(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    private static Map<String, List<String>> query(@Nullable String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /** A bounded queue between the stack's threads, which never block, and one client's stream. */
    private static final class Stream<T> {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(STREAM_BUFFER);
        private final java.util.function.Predicate<T> filter;
        private final AtomicLong lost = new AtomicLong();
        private static final Object END = new Object();

        Stream(java.util.function.Predicate<T> filter) {
            this.filter = filter;
        }

        void offer(T value) {
            if (filter.test(value) && !queue.offer(value)) {
                lost.incrementAndGet();
            }
        }

        void end() {
            queue.clear();
            queue.offer(END);
        }

        boolean isEmpty() {
            return queue.isEmpty();
        }

        /** The next item: a value, nothing after the timeout (value null), or the end. */
        @SuppressWarnings("unchecked")
        Item<T> take(Duration timeout) throws IOException {
            Object next;
            try {
                next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            long missed = lost.getAndSet(0);
            if (next == END) {
                return new Item<>(null, missed, true);
            }
            return new Item<>((T) next, missed, false);
        }

        record Item<T>(@Nullable T value, long lost, boolean end) {}
    }
}
