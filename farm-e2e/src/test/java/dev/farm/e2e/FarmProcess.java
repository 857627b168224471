package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The real {@code farm.jar} in a child JVM, run as a user runs it: a long-running command ({@link #start}, such as
 * {@code farm dev}) whose output is read line by line as it comes, and one-shot commands ({@link #run}, such as
 * {@code farm ps --json}) that talk to it from "another terminal". Every command gets {@code --no-color} and {@code -C
 * PROJECT} before its own arguments, and runs in the project folder.
 *
 * <p>The jar is farm-cli's {@code target/farm.jar}, which the reactor builds before this module's tests ({@code -pl
 * farm-e2e -am}); the {@code farm.jar} system property names another. {@link #close()} stops a farm still running
 * (SIGTERM, then SIGKILL for it and every process below it), so a failed test leaves nothing behind.
 */
public final class FarmProcess implements AutoCloseable {

    /** How long a one-shot command may take: a JVM start and one request to the running farm. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Whether {@code env --default-signal=INT} works here; asked once. */
    private static volatile Optional<Boolean> resetsSigint = Optional.empty();

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    /** Completes once standard output has been read to its end. */
    private final CompletableFuture<Void> outRead;

    private FarmProcess(Process process) {
        this.process = process;
        outRead = read(process.getInputStream(), out, "out");
        var unused = read(process.getErrorStream(), err, "err");
    }

    /** What a one-shot command did: its exit code and its whole output. */
    public record Result(int code, String out, String err) {

        /**
         * Fails unless the command exited 0.
         *
         * @return this result
         */
        public Result assertSuccess() {
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }
    }

    /**
     * The farm.jar the tests run.
     *
     * @return its absolute path; the test fails when it is missing
     */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("farm.jar", "../farm-cli/target/farm.jar"))
                .toAbsolutePath()
                .normalize();
        assertThat(jar)
                .as("farm-cli's shaded jar; build it with the tests: mvn verify -pl farm-e2e -am")
                .isRegularFile();
        return jar;
    }

    /**
     * Starts a long-running farm command, such as {@code dev}, for the project.
     *
     * @param project the project folder
     * @param args the command and its arguments
     * @return the running farm
     * @throws IOException when the JVM cannot be started
     */
    public static FarmProcess start(Path project, String... args) throws IOException {
        Process process = new ProcessBuilder(command(project, true, args))
                .directory(project.toFile())
                .start();
        process.getOutputStream().close();
        return new FarmProcess(process);
    }

    /**
     * Runs a one-shot farm command, such as {@code ps --json}, for the project, to its end.
     *
     * @param project the project folder
     * @param args the command and its arguments
     * @return its exit code and output
     * @throws IOException when the JVM cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    public static Result run(Path project, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(project, false, args))
                .directory(project.toFile())
                .start();
        process.getOutputStream().close();
        CompletableFuture<String> out = readAll(process.getInputStream());
        CompletableFuture<String> err = readAll(process.getErrorStream());
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("farm " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT);
        }
        try {
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reading the output of farm " + String.join(" ", args), e);
        }
    }

    /**
     * The farm JVM's process.
     *
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * The farm JVM's pid.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The lines of standard output so far.
     *
     * @return a snapshot, in order
     */
    public List<String> lines() {
        return List.copyOf(out);
    }

    /**
     * Standard output and standard error so far, for failure messages.
     *
     * @return the text
     */
    public String output() {
        return String.join("\n", out) + (err.isEmpty() ? "" : "\n--- stderr ---\n" + String.join("\n", err));
    }

    /**
     * Waits until a line of standard output matches, failing at once if farm has exited without printing it.
     *
     * @param regex the pattern a whole line must match
     * @param atMost how long to wait
     * @return the first matching line
     */
    public String awaitLine(String regex, Duration atMost) {
        Pattern pattern = Pattern.compile(regex);
        return awaitLine(line -> pattern.matcher(line).matches(), regex, atMost);
    }

    /**
     * Waits until a line of standard output passes the test, failing at once if farm has exited without printing it.
     *
     * @param line the test
     * @param what what is awaited, for the failure message
     * @param atMost how long to wait
     * @return the first such line
     */
    public String awaitLine(Predicate<String> line, String what, Duration atMost) {
        await("farm printing " + what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .failFast("farm exited", () -> {
                    if (outRead.isDone() && out.stream().noneMatch(line)) {
                        throw new AssertionError("farm exited without printing " + what + "; its output:\n" + output());
                    }
                })
                .until(() -> out.stream().anyMatch(line));
        return out.stream().filter(line).findFirst().orElseThrow();
    }

    /**
     * Waits for {@code farm dev}'s "all N services ready in …" line.
     *
     * @param atMost how long to wait
     */
    public void awaitReady(Duration atMost) {
        awaitLine(line -> line.contains("all ") && line.contains(" ready in "), "that every service is ready", atMost);
    }

    /**
     * Sends SIGINT, as Ctrl-C in farm's terminal does.
     *
     * @throws IOException when {@code kill} cannot be run
     * @throws InterruptedException when interrupted while waiting for it
     */
    public void interrupt() throws IOException, InterruptedException {
        signal("INT");
    }

    /**
     * Sends a signal to the farm process itself, as {@code kill -s SIGNAL} does.
     *
     * @param signal the signal's name without {@code SIG}, such as {@code INT} or {@code KILL}
     * @throws IOException when {@code kill} cannot be run
     * @throws InterruptedException when interrupted while waiting for it
     */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS))
                .as("kill -s %s ends", signal)
                .isTrue();
        assertThat(kill.exitValue()).as("kill -s %s %d", signal, process.pid()).isZero();
    }

    /**
     * Asks the running farm's control API ({@code .farm/run/control.json} names its URL and token), as {@code farm
     * ps} does.
     *
     * @param project the project folder farm runs
     * @param path the request path, such as {@code /v1/services}
     * @return the answer, which must be 200
     * @throws IOException when the file cannot be read or the request fails
     * @throws InterruptedException when interrupted while waiting
     */
    public static JsonNode control(Path project, String path) throws IOException, InterruptedException {
        JsonNode file = JSON.readTree(Files.readString(project.resolve(".farm/run/control.json")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(file.get("url").asText() + path))
                .header("Authorization", "Bearer " + file.get("token").asText())
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /**
     * One service as {@code farm ps --json} shows it.
     *
     * @param project the project folder farm runs
     * @param name the service
     * @return its status
     * @throws IOException when the control API cannot be asked
     * @throws InterruptedException when interrupted while waiting
     */
    public static JsonNode service(Path project, String name) throws IOException, InterruptedException {
        for (JsonNode service : control(project, "/v1/services").get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("farm runs no service " + name);
    }

    /**
     * The pid of a service's process, when it runs one.
     *
     * @param project the project folder farm runs
     * @param name the service
     * @return its pid
     * @throws IOException when the control API cannot be asked
     * @throws InterruptedException when interrupted while waiting
     */
    public static OptionalLong pid(Path project, String name) throws IOException, InterruptedException {
        JsonNode pid = service(project, name).get("pid");
        return pid == null || pid.isNull() ? OptionalLong.empty() : OptionalLong.of(pid.asLong());
    }

    /**
     * Waits for farm to exit.
     *
     * @param atMost how long to wait
     * @return its exit code
     * @throws InterruptedException when interrupted while waiting
     */
    public int awaitExit(Duration atMost) throws InterruptedException {
        assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
                .as("farm exits within %s; its output:%n%s", atMost, output())
                .isTrue();
        return process.exitValue();
    }

    /** Stops farm if it still runs: SIGTERM (farm stops its stack), then SIGKILL for it and all below it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> below = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        below.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<String> command(Path project, boolean longRunning, String... args) {
        List<String> command = new ArrayList<>();
        if (longRunning && resetsSigint()) {
            // A build run in the background starts us with SIGINT ignored; a JVM never handles an ignored SIGINT.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(FixtureProcess.javaExecutable().toString(), "-jar", jar().toString()));
        command.addAll(List.of("--no-color", "-C", project.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Whether coreutils' {@code env} has {@code --default-signal} (coreutils 8.31 and later). */
    private static boolean resetsSigint() {
        Optional<Boolean> known = resetsSigint;
        if (known.isEmpty()) {
            boolean works;
            try {
                Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
                        .redirectErrorStream(true)
                        .start();
                works = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException e) {
                works = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                works = false;
            }
            known = Optional.of(works);
            resetsSigint = known;
        }
        return known.get();
    }

    private static CompletableFuture<Void> read(InputStream stream, List<String> lines, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    } finally {
                        done.complete(null);
                    }
                },
                "farm-e2e-" + name);
        reader.setDaemon(true);
        reader.start();
        return done;
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (stream) {
                        text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        text.completeExceptionally(new UncheckedIOException(e));
                    }
                },
                "farm-e2e-command");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /**
     * Copies a folder, leaving out what a user's checkout would not have: {@code node_modules}, {@code .farm} and
     * {@code target}.
     *
     * @param from the folder, such as {@code ../examples/domains}
     * @param to where the copy goes; created
     * @throws IOException when a file cannot be copied
     */
    public static void copyProject(Path from, Path to) throws IOException {
        List<String> skipped = List.of("node_modules", ".farm", "target");
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                boolean skip = false;
                for (Path part : relative) {
                    skip |= skipped.contains(part.toString());
                }
                if (skip) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
