package dev.farm.cli.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What {@code farm ps}, {@code logs}, {@code restart} and the others use to talk to the farm running a project: it
 * finds {@code .farm/run/control.json} in the project folder or a parent, makes sure the farm that wrote it is alive,
 * and sends requests with its token.
 */
public final class ControlClient {

    /** Loaded on first use: {@code farm ps} never parses JSON, so it starts without Jackson's databind. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final ControlFile file;
    private final Path path;

    private ControlClient(ControlFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    /**
     * Connects to the farm running the project that {@code directory} belongs to.
     *
     * @param directory the project folder, or a folder inside it
     * @return the client
     * @throws NotRunningException when no farm runs that project; a control file a dead farm left is removed
     */
    public static ControlClient forProject(Path directory) {
        Optional<Path> found = ControlFile.find(directory);
        Path absolute = directory.toAbsolutePath().normalize();
        if (found.isEmpty()) {
            throw new NotRunningException("no farm is running for the project in " + absolute
                    + " (no .farm/run/control.json there or above). Start it with: farm dev");
        }
        Path path = found.get();
        ControlFile file;
        try {
            file = ControlFile.read(path)
                    .orElseThrow(() -> new NotRunningException(
                            "no farm is running for the project in " + absolute + ". Start it with: farm dev"));
        } catch (IOException e) {
            throw new NotRunningException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (ControlFile.ControlFileException e) {
            throw new NotRunningException(e.getMessage(), e);
        }
        if (!file.ownerAlive()) {
            removeStale(path, file);
            throw new NotRunningException(
                    "no farm is running for " + describe(file, path) + ": the farm that ran it (pid "
                            + file.pid() + ") has ended without cleaning up; its stale " + path
                            + " was removed. Start it again with: farm dev");
        }
        return new ControlClient(file, path);
    }

    private static void removeStale(Path path, ControlFile file) {
        try {
            Optional<ControlFile> again = ControlFile.read(path);
            if (again.isPresent() && again.get().equals(file)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            // a new farm may be writing it: leave it
        }
    }

    private static String describe(ControlFile file, Path path) {
        Path project = path.getParent().getParent().getParent();
        return (file.project().isEmpty() ? "" : file.project() + " in ") + project;
    }

    /**
     * Returns the control file this client uses.
     *
     * @return the file's content
     */
    public ControlFile file() {
        return file;
    }

    /**
     * Sends a GET and reads a JSON answer.
     *
     * @param pathAndQuery such as {@code /v1/services}
     * @return the answer
     * @throws ControlException when the farm answers with an error, or cannot be reached
     */
    public JsonNode get(String pathAndQuery) {
        return call("GET", pathAndQuery, Duration.ofSeconds(30));
    }

    /**
     * Sends a GET and returns the answer's bytes as they come, for answers farm prints as they are.
     *
     * @param pathAndQuery such as {@code /v1/services?view=table}
     * @return the body
     * @throws ControlException when the farm answers with an error, or cannot be reached
     */
    public byte[] getBytes(String pathAndQuery) {
        HttpURLConnection connection = open("GET", pathAndQuery, Duration.ofSeconds(30));
        try {
            int status = connection.getResponseCode();
            if (status >= 300) {
                throw failure(connection, status, pathAndQuery);
            }
            try (InputStream body = connection.getInputStream()) {
                return body.readAllBytes();
            }
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Sends a POST and reads a JSON answer.
     *
     * @param pathAndQuery such as {@code /v1/services/api/restart}
     * @param timeout how long to wait for the answer; zero waits without limit
     * @return the answer, or an empty object for 204
     * @throws ControlException when the farm answers with an error, or cannot be reached
     */
    public JsonNode post(String pathAndQuery, Duration timeout) {
        return call("POST", pathAndQuery, timeout);
    }

    /**
     * Sends a GET whose answer is a stream of lines, and hands each line to {@code lines} until it returns false or the
     * stream ends.
     *
     * @param pathAndQuery such as {@code /v1/logs?follow=true}
     * @param lines gets each line; returns false to stop reading
     * @throws ControlException when the farm answers with an error, or cannot be reached
     */
    public void stream(String pathAndQuery, Predicate<String> lines) {
        HttpURLConnection connection = open("GET", pathAndQuery, Duration.ZERO);
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw failure(connection, status, pathAndQuery);
            }
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!lines.test(line)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    private JsonNode call(String method, String pathAndQuery, Duration timeout) {
        HttpURLConnection connection = open(method, pathAndQuery, timeout);
        try {
            int status = connection.getResponseCode();
            if (status == 204) {
                return Json.MAPPER.createObjectNode();
            }
            if (status >= 300) {
                throw failure(connection, status, pathAndQuery);
            }
            try (InputStream body = connection.getInputStream()) {
                return Json.MAPPER.readTree(body);
            }
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(String method, String pathAndQuery, Duration timeout) {
        try {
            URL url = URI.create(file.url() + pathAndQuery).toURL();
            HttpURLConnection connection = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            connection.setRequestProperty("Authorization", "Bearer " + file.token());
            connection.setRequestProperty("Accept", "application/json");
            connection.setUseCaches(false);
            if (method.equals("POST")) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
            }
            return connection;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private ControlException failure(HttpURLConnection connection, int status, String pathAndQuery) throws IOException {
        String message;
        JsonNode body = null;
        try (InputStream error = connection.getErrorStream()) {
            body = error == null ? null : Json.MAPPER.readTree(error);
            message =
                    body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + status;
        } catch (IOException e) {
            message = "HTTP " + status;
        }
        return new ControlException(status, message + " (" + pathAndQuery + ")", body);
    }

    private ControlException unreachable(IOException e) {
        String why =
                e instanceof ConnectException ? "refused the connection" : "did not answer (" + e.getMessage() + ")";
        return new ControlException(
                0,
                "the farm running " + describe(file, path) + " (pid " + file.pid() + ", " + file.url() + ") " + why
                        + ". If it is stuck, stop it with Ctrl-C in its terminal or kill " + file.pid() + ".",
                null);
    }

    /** No farm runs the project. */
    public static final class NotRunningException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotRunningException(String message) {
            super(message);
        }

        NotRunningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The farm answered with an error, or could not be reached. */
    public static final class ControlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final transient @org.jspecify.annotations.Nullable JsonNode body;

        ControlException(int status, String message, @org.jspecify.annotations.Nullable JsonNode body) {
            super(message);
            this.status = status;
            this.body = body;
        }

        /**
         * Returns the HTTP status.
         *
         * @return the status; 0 when the farm could not be reached
         */
        public int status() {
            return status;
        }

        /**
         * Returns the error's JSON body.
         *
         * @return the body, if the farm sent one
         */
        public Optional<JsonNode> body() {
            return Optional.ofNullable(body);
        }
    }
}
