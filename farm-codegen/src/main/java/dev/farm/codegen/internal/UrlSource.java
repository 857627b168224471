package dev.farm.codegen.internal;

import dev.farm.codegen.CodegenException;
import dev.farm.codegen.Diagnostic;
import dev.farm.codegen.OpenApiSource;
import dev.farm.codegen.OpenApiText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link OpenApiSource#url}: one GET per read over the JDK's HttpClient, bounded by one deadline. */
public final class UrlSource implements OpenApiSource {

    private final URI url;
    private final Duration timeout;

    /**
     * Creates the source.
     *
     * @param url the URL
     * @param timeout the deadline for the whole exchange
     */
    public UrlSource(URI url, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url: " + url + " (expected: an http: or https: URL)");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
        }
    }

    @Override
    public OpenApiText read() {
        // HTTP/1.1 only: the JDK's default (HTTP/2) sends "Upgrade: h2c" on plain http, and uvicorn without
        // httptools (Debian's python3-uvicorn) answers such a request 400 "Unsupported upgrade request.".
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers the headers only; the deadline covers the body too.
            response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw fail(
                    "no complete answer within " + timeout.toMillis() + " ms. Is the server busy or stuck? Try again"
                            + " once it answers, or raise the timeout.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw fail("interrupted while fetching the document.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw fail(
                        "no answer within " + timeout.toMillis() + " ms. Is the server busy or stuck? Try again"
                                + " once it answers, or raise the timeout.",
                        cause);
            }
            if (cause instanceof ConnectException) {
                throw fail(
                        "connection refused. Is the service running and listening on " + url.getHost() + ":"
                                + url.getPort() + "? Start it (farm dev), then try again.",
                        cause);
            }
            if (cause instanceof IOException) {
                throw fail(
                        "the request failed: " + cause + ". Check that the server is up and the URL is right.", cause);
            }
            throw fail("the request failed: " + cause + ".", cause);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw fail(
                    "HTTP " + response.statusCode() + " instead of 200" + excerpt(body)
                            + ". If the server is restarting or its app failed to import, fix that and try again.",
                    null);
        }
        return new OpenApiText(body, url, url.toString());
    }

    private static String excerpt(String body) {
        String line = body.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline);
        }
        if (line.isEmpty()) {
            return "";
        }
        return ", body starting \"" + (line.length() > 120 ? line.substring(0, 120) + "…" : line) + "\"";
    }

    private CodegenException fail(String message, Throwable cause) {
        return new CodegenException(new Diagnostic(url.toString(), "", "GET " + url + ": " + message), cause);
    }

    @Override
    public String description() {
        return url.toString();
    }

    @Override
    public String toString() {
        return "url " + url;
    }
}
