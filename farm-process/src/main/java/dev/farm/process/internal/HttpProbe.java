package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Passes once a request answers with a status in the expected range. Redirects are not followed: answering one means
 * the server is up. A URL on {@code localhost} tries 127.0.0.1, then ::1, because servers bound to {@code localhost}
 * often listen on only one of them.
 */
public final class HttpProbe implements HealthProbe {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

    private final URI url;
    private final String method;
    private final int minStatus;
    private final int maxStatus;
    private final Set<Integer> statuses;
    private final int timeoutMillis;
    private final List<URI> targets;

    /**
     * Creates a {@code GET} probe on the loopback interface answering 2xx or 3xx.
     *
     * @param port the port
     * @param path the request path, starting with {@code /}
     * @param attemptTimeout the longest one request may take to connect, and then to answer
     */
    public HttpProbe(int port, String path, Duration attemptTimeout) {
        this(loopback(port, path), "GET", 200, 399, attemptTimeout);
    }

    /**
     * Creates the probe.
     *
     * @param url an {@code http} or {@code https} URL
     * @param method the request method, such as {@code GET} or {@code HEAD}
     * @param minStatus the lowest status that passes
     * @param maxStatus the highest status that passes
     * @param attemptTimeout the longest one request may take to connect, and then to answer
     */
    public HttpProbe(URI url, String method, int minStatus, int maxStatus, Duration attemptTimeout) {
        this(url, method, minStatus, maxStatus, Set.of(), attemptTimeout);
    }

    /**
     * Creates a probe that passes on any of the given statuses.
     *
     * @param url an {@code http} or {@code https} URL
     * @param method the request method, such as {@code GET} or {@code HEAD}
     * @param statuses the statuses that pass; empty for any 2xx or 3xx
     * @param attemptTimeout the longest one request may take to connect, and then to answer
     */
    public HttpProbe(URI url, String method, Set<Integer> statuses, Duration attemptTimeout) {
        this(
                url,
                method,
                statuses.isEmpty()
                        ? 200
                        : statuses.stream().mapToInt(Integer::intValue).min().orElseThrow(),
                statuses.isEmpty()
                        ? 399
                        : statuses.stream().mapToInt(Integer::intValue).max().orElseThrow(),
                statuses,
                attemptTimeout);
    }

    private HttpProbe(
            URI url, String method, int minStatus, int maxStatus, Set<Integer> statuses, Duration attemptTimeout) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " (expected: an http:// or https:// URL with a host)");
        }
        String upper = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new IllegalArgumentException("method: " + method + " (expected one of " + METHODS + ")");
        }
        if (minStatus < 100 || maxStatus > 599 || minStatus > maxStatus) {
            throw new IllegalArgumentException(
                    "status: " + minStatus + ".." + maxStatus + " (expected: 100 <= min <= max <= 599)");
        }
        this.url = url;
        this.method = upper;
        this.minStatus = minStatus;
        this.maxStatus = maxStatus;
        this.statuses = Set.copyOf(statuses);
        this.timeoutMillis = (int) Math.max(1, attemptTimeout.toMillis());
        this.targets = targets(url);
    }

    private static URI loopback(int port, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
        }
        return URI.create("http://127.0.0.1:" + Loopback.checkPort(port) + path);
    }

    private static List<URI> targets(URI url) {
        boolean loopback = "localhost".equalsIgnoreCase(url.getHost()) || "127.0.0.1".equals(url.getHost());
        if (!loopback) {
            return List.of(url);
        }
        List<URI> targets = new ArrayList<>();
        for (InetAddress address : Loopback.ADDRESSES) {
            String host = address.getHostAddress().contains(":") ? "[::1]" : "127.0.0.1";
            try {
                targets.add(new URI(
                        url.getScheme(), url.getRawUserInfo(), host, url.getPort(), url.getRawPath(), null, null));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("url: " + url + " (" + e.getMessage() + ")", e);
            }
        }
        // Keep the raw query as it was written.
        return targets.stream()
                .map(t -> URI.create(t + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())))
                .toList();
    }

    @Override
    public ProbeResult check() {
        String failure = "";
        boolean refused = true;
        for (URI target : targets) {
            try {
                int status = request(target.toURL());
                if (statuses.isEmpty() ? status >= minStatus && status <= maxStatus : statuses.contains(status)) {
                    return ProbeResult.pass();
                }
                return ProbeResult.fail("HTTP " + status);
            } catch (IOException | IllegalArgumentException e) {
                if (failure.isEmpty()) {
                    failure = Loopback.describe(e);
                }
                refused &= e instanceof java.net.ConnectException;
            }
        }
        return refused ? ProbeResult.notListening(failure) : ProbeResult.fail(failure);
    }

    private int request(URL target) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) target.openConnection();
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestMethod(method);
        connection.setRequestProperty("User-Agent", "farm-probe");
        try {
            int status = connection.getResponseCode();
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (body != null) {
                try (body) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public String description() {
        return method + " " + url + " should return " + statuses();
    }

    private String statuses() {
        if (!statuses.isEmpty()) {
            List<Integer> sorted = statuses.stream().sorted().toList();
            return sorted.size() == 1
                    ? sorted.get(0).toString()
                    : sorted.subList(0, sorted.size() - 1).stream()
                                    .map(String::valueOf)
                                    .collect(java.util.stream.Collectors.joining(", "))
                            + " or " + sorted.get(sorted.size() - 1);
        }
        if (minStatus == 200 && maxStatus == 399) {
            return "2xx or 3xx";
        }
        if (minStatus == maxStatus) {
            return Integer.toString(minStatus);
        }
        if (minStatus % 100 == 0 && maxStatus == minStatus + 99) {
            return minStatus / 100 + "xx";
        }
        return minStatus + "-" + maxStatus;
    }

    @Override
    public String toString() {
        return "http:" + method + " " + url;
    }
}
