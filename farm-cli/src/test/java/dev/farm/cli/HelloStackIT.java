package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import dev.farm.testkit.fixture.ProcessOutput;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, for real: the shaded jar in a child JVM runs examples/hello until SIGINT. */
@Timeout(180)
class HelloStackIT {

    private static final Path JAR = Path.of("target", "farm.jar").toAbsolutePath();
    private static final Path HELLO =
            Path.of("..", "examples", "hello").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void runsTheHelloStackAndSigintLeavesNothingBehind() throws Exception {
        assertThat(JAR).as("the shaded jar, built by the package phase").isRegularFile();
        Process farm = start(dir, "dev", "-C", HELLO.toString());
        List<String> out = ProcessOutput.collect(farm.getInputStream());
        List<String> err = ProcessOutput.collect(farm.getErrorStream());

        await().atMost(Duration.ofSeconds(15))
                .failFast("farm exited", () -> !farm.isAlive())
                .until(() -> readyLine(out, "api").isPresent()
                        && readyLine(out, "web").isPresent());
        assertThat(readyLine(out, "api")).get().asString().endsWith("http://127.0.0.1:7081");
        assertThat(readyLine(out, "web")).get().asString().endsWith("http://127.0.0.1:7080");

        assertThat(get("http://127.0.0.1:7081/api/greeting?name=IT")).contains("\"message\":\"Hello, IT!\"");
        assertThat(get("http://127.0.0.1:7080/")).contains("<h1>hello, farm</h1>");
        assertThat(get("http://127.0.0.1:7080/api/greeting")).contains("\"message\":\"Hello, world!\"");
        // and through the proxy, the URL the README gives
        assertThat(get("http://127.0.0.1:7000/")).contains("<h1>hello, farm</h1>");
        assertThat(get("http://127.0.0.1:7000/api/greeting")).contains("\"message\":\"Hello, world!\"");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> String.join("\n", out).contains("open http://127.0.0.1:7000"));
        assertThat(get("http://127.0.0.1:7081/openapi.json")).contains("\"openapi\": \"3.1.0\"", "/api/greeting");
        List<Long> stack = farm.descendants().map(ProcessHandle::pid).collect(Collectors.toList());
        assertThat(stack).hasSizeGreaterThanOrEqualTo(2);

        new ProcessBuilder("kill", "-s", "INT", Long.toString(farm.pid()))
                .inheritIO()
                .start()
                .waitFor();

        assertThat(farm.waitFor(30, TimeUnit.SECONDS))
                .as("farm exits after SIGINT")
                .isTrue();
        assertThat(farm.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.contains("farm | all services stopped"));
        assertThat(stack.stream().filter(FixtureProcess::isRunning).collect(Collectors.toList()))
                .as("processes of the stack still running")
                .isEmpty();
        assertThat(processesWorkingIn(HELLO))
                .as("processes still working in examples/hello")
                .isEmpty();
        assertThat(String.join("\n", err)).doesNotContain("Exception");
    }

    @Test
    void aBrokenConfigExitsThreeWithItsLineAndColumnAndNoStackTrace() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), """
                services:
                  api:
                    command: java Api.java
                    prot: 8000
                """);
        Process farm = start(dir, "dev", "-f", "broken.yaml");

        assertThat(farm.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(farm.exitValue()).isEqualTo(3);
        assertThat(read(farm.getErrorStream()))
                .isEqualTo("broken.yaml:4:5: services.api.prot: unknown key 'prot'. Did you mean 'port'?\n");
        assertThat(read(farm.getInputStream())).isEmpty();
    }

    private Process start(Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (resetsSigint()) {
            // A test run in the background inherits SIGINT ignored, and a JVM never handles an ignored SIGINT.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(FixtureProcess.javaExecutable().toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
        process.getOutputStream().close();
        started.add(process);
        return process;
    }

    private static boolean resetsSigint() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true)
                    .start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static java.util.Optional<String> readyLine(List<String> out, String service) {
        return out.stream()
                .filter(line -> line.startsWith("farm | " + service + " ready in "))
                .findFirst();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /** Living processes whose working directory is inside the folder, found through /proc (Linux). */
    private static List<Long> processesWorkingIn(Path folder) throws IOException {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).startsWith(folder);
                        } catch (IOException | SecurityException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(FixtureProcess::isRunning)
                    .collect(Collectors.toList());
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
