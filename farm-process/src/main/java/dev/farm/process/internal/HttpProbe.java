package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * Passes once {@code GET PATH} on 127.0.0.1 (or ::1) answers 2xx or 3xx. Redirects are not followed: answering one
 * means the server is up.
 */
public final class HttpProbe implements HealthProbe {

    private final int port;
    private final String path;
    private final int timeoutMillis;

    /**
     * Creates the probe.
     *
     * @param port the port
     * @param path the request path, starting with {@code /}
     * @param attemptTimeout the longest one request may take to connect, and then to answer
     */
    public HttpProbe(int port, String path, Duration attemptTimeout) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
        }
        this.port = Loopback.checkPort(port);
        this.path = path;
        this.timeoutMillis = (int) Math.max(1, attemptTimeout.toMillis());
    }

    @Override
    public ProbeResult check() {
        String failure = "";
        for (InetAddress address : Loopback.ADDRESSES) {
            String host = address.getHostAddress().contains(":") ? "[::1]" : "127.0.0.1";
            try {
                int status =
                        get(URI.create("http://" + host + ":" + port + path).toURL());
                if (status >= 200 && status < 400) {
                    return ProbeResult.pass();
                }
                return ProbeResult.fail("HTTP " + status);
            } catch (IOException e) {
                if (failure.isEmpty()) {
                    failure = Loopback.describe(e);
                }
            }
        }
        return ProbeResult.fail(failure);
    }

    private int get(URL url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
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
        return "GET http://127.0.0.1:" + port + path + " should return 2xx or 3xx";
    }

    @Override
    public String toString() {
        return "http:" + port + path;
    }
}
