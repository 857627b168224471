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
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code farm.jar} (farm-cli's shaded jar, built by the reactor before these tests) running {@code farm dev}
 * in a child JVM, as a user runs it: its output read line by line as it comes, its control API asked what runs.
 */
final class FarmCli implements AutoCloseable {

    /** farm-cli's shaded jar. */
    static final Path JAR = FullstackProject.REPOSITORY.resolve("farm-cli/target/farm.jar");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final Process process;
    final Path project;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private FarmCli(Process process, Path project) {
        this.process = process;
        this.project = project;
        read(process.getInputStream(), "out");
        read(process.getErrorStream(), "err");
    }

    /** The command that runs farm.jar with these arguments. */
    static List<String> command(String... args) {
        assertThat(JAR).as("farm.jar (mvn -pl farm-e2e -am verify builds it)").isRegularFile();
        List<String> command =
                new ArrayList<>(List.of(FixtureProcess.javaExecutable().toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code farm dev -C project --port proxyPort}. */
    static FarmCli dev(Path project, int proxyPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        command("dev", "-C", project.toString(), "--port", Integer.toString(proxyPort)))
                .directory(project.toFile());
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        return new FarmCli(process, project);
    }

    private void read(InputStream stream, String name) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // farm ended
                    }
                },
                "farm-e2e-farm-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** What farm printed so far, standard output and error interleaved as read. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Waits for a line of farm's output; fails at once when farm exits first. */
    void awaitLine(Predicate<String> line, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast("farm exited", () -> !process.isAlive())
                .alias("a line of farm's output")
                .until(() -> lines.stream().anyMatch(line));
    }

    /** Waits for {@code all N services ready in ...}. */
    void awaitReady() {
        try {
            awaitLine(line -> line.contains("all ") && line.contains(" ready in "), Duration.ofSeconds(90));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("farm dev did not get ready; its output:\n" + output(), e);
        }
    }

    /** GET on the control API ({@code .farm/run/control.json} gives its URL and token). */
    JsonNode control(String path) throws IOException, InterruptedException {
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

    /** One service as {@code farm ps --json} shows it. */
    JsonNode service(String name) throws IOException, InterruptedException {
        for (JsonNode service : control("/v1/services").get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("farm runs no service " + name);
    }

    /** The pid of a service's process, when it runs one. */
    OptionalLong pid(String service) throws IOException, InterruptedException {
        JsonNode pid = service(service).get("pid");
        return pid == null || pid.isNull() ? OptionalLong.empty() : OptionalLong.of(pid.asLong());
    }

    /** Sends a signal to the farm process itself, as a terminal's Ctrl-C (INT) or {@code kill -9} (KILL) would. */
    void signal(String signal) throws IOException, InterruptedException {
        Command.Result result =
                Command.run(project, Duration.ofSeconds(10), "kill", "-" + signal, Long.toString(process.pid()));
        assertThat(result.code())
                .as("kill -%s %d: %s", signal, process.pid(), result.output())
                .isZero();
    }

    /** Waits for farm to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("farm exits within %s; its output:\n%s", timeout, output())
                .isTrue();
        return process.exitValue();
    }

    /** Stops farm as a terminal's Ctrl-C does, and waits for it; kills it if it hangs. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            signal("INT");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
