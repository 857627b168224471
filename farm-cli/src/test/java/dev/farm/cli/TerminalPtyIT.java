package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm dev} on a real pseudo-terminal: the shaded jar runs under util-linux {@code script}, and Ctrl-C is the
 * byte 0x03 typed into the terminal, which the terminal turns into SIGINT for farm's process group (the services run
 * in sessions of their own, so only farm sees it). Skipped when {@code script} is missing, except under {@code
 * CI=true}, where that is a failure.
 */
@Timeout(180)
class TerminalPtyIT {

    private static final Path JAR = Path.of("target", "farm.jar").toAbsolutePath();
    private static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final String ERASE_LINE = "\r\u001b[2K";
    private static final byte CTRL_C = 3;

    @TempDir
    Path dir;

    private Path pids;
    private final List<Process> started = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();

    @BeforeEach
    void requireScript() throws IOException {
        boolean present = new ProcessBuilder("sh", "-c", "command -v script")
                        .start()
                        .onExit()
                        .join()
                        .exitValue()
                == 0;
        if (!present) {
            String why =
                    "util-linux 'script' is not installed: no pseudo-terminal to test on (apt-get install util-linux)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        assertThat(JAR).as("the shaded jar, built by the package phase").isRegularFile();
        pids = Files.createDirectory(dir.resolve("pids"));
    }

    @AfterEach
    void cleanUp() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void colourAndALiveWaitingLineThenTheSummaryAndOneCtrlCStopsGracefully() throws Exception {
        int port = FixtureProcess.freePort();
        write(port);
        Farm farm = start(Map.of());

        await().atMost(Duration.ofSeconds(60))
                .failFast("farm exited", () -> !farm.process.isAlive())
                .until(() -> farm.text().contains("api: waiting for GET /health — connection refused, "));
        assertThat(farm.text())
                .as("the live line is redrawn in place")
                .contains(ERASE_LINE + "\u001b[1mfarm |\u001b[0m \u001b[2mapi: waiting for GET /health");
        serveHealth(port); // now api is ready

        await().atMost(Duration.ofSeconds(60))
                .failFast("farm exited", () -> !farm.process.isAlive())
                .until(() -> farm.text().contains("all 2 services ready in")
                        && plain(farm.text()).contains("web  | web up"));
        String out = farm.text();
        assertThat(out).as("each service's lines in its own colour").contains("\u001b[32mweb  |\u001b[0m web up");
        assertThat(plain(out)).contains("farm | api ready in ", "farm |   api  http://127.0.0.1:" + port + "\r\n");
        assertThat(out.substring(out.indexOf("all 2 services ready in")))
                .as("once all are ready, the live line is gone: nothing waits")
                .doesNotContain(ERASE_LINE);
        List<Long> stack = FixtureProcess.pids(pids);
        assertThat(stack).hasSize(2).allMatch(FixtureProcess::isRunning);

        farm.type(CTRL_C);

        assertThat(farm.process.waitFor(60, TimeUnit.SECONDS)).as("farm exits").isTrue();
        assertThat(farm.process.exitValue()).as("a graceful stop is success").isZero();
        assertThat(plain(farm.text())).contains("farm | stopping", "farm | all services stopped");
        assertThat(stack).noneMatch(FixtureProcess::isRunning);
    }

    @Test
    void noColorKeepsTheLiveLineButNotTheColours() throws Exception {
        for (Map<String, String> variant : List.of(Map.of("NO_COLOR", "1"), Map.of("FARM_ARG", "--no-color"))) {
            int port = FixtureProcess.freePort();
            write(port);
            Farm farm = start(variant);

            await().atMost(Duration.ofSeconds(60))
                    .failFast("farm exited", () -> !farm.process.isAlive())
                    .until(() -> farm.text().contains("api: waiting for GET /health — connection refused, "));
            farm.type(CTRL_C); // while starting: farm stops what it started

            assertThat(farm.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(farm.process.exitValue()).as(variant.toString()).isZero();
            assertThat(farm.text())
                    .as(variant + ": no colour, but the live line is still drawn")
                    .contains(ERASE_LINE + "farm | api: waiting for GET /health");
            assertThat(SGR.matcher(farm.text()).find())
                    .as(variant + ": no SGR sequence")
                    .isFalse();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> FixtureProcess.pids(pids).stream().noneMatch(FixtureProcess::isRunning));
        }
    }

    @Test
    void aSecondCtrlCKillsEveryTreeAtOnceAndExits130() throws Exception {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  stuck:
                    command: %s
                    stop_timeout: 60s
                """.formatted(DevCommandIT.yaml(
                FixtureProcess.builder().ignoreSigterm().tree(2, 2).print("up").pidDirectory(pids))));
        Farm farm = start(Map.of());
        await().atMost(Duration.ofSeconds(60))
                .failFast("farm exited", () -> !farm.process.isAlive())
                .until(() -> farm.text().contains("all 1 service ready")
                        && FixtureProcess.pids(pids).size() == 3);
        List<Long> stack = FixtureProcess.pids(pids);

        farm.type(CTRL_C);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> plain(farm.text()).contains("stopping: waiting for stuck (SIGTERM sent "));
        assertThat(plain(farm.text())).contains("kills at 60.0s)  ·  Ctrl-C again kills at once");
        assertThat(stack).as("stuck ignores SIGTERM").allMatch(FixtureProcess::isRunning);
        long begin = System.nanoTime();
        farm.type(CTRL_C);

        assertThat(farm.process.waitFor(30, TimeUnit.SECONDS)).as("farm exits").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - begin))
                .as("well before the 60 s stop timeout")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(farm.process.exitValue()).as("forced").isEqualTo(130);
        assertThat(plain(farm.text())).contains("farm  | killing every process now");
        assertThat(stack).noneMatch(FixtureProcess::isRunning);
    }

    private void write(int port) throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: %s
                    port: %d
                    ready: { http: /health, timeout: 60s }
                  web:
                    command: %s
                    depends_on: { api: ready }
                """.formatted(
                DevCommandIT.yaml(FixtureProcess.builder().pidDirectory(pids)),
                port,
                DevCommandIT.yaml(FixtureProcess.builder().print("web up").pidDirectory(pids))));
    }

    /** Answers 200 on 127.0.0.1:port, as api would once it listens. */
    private void serveHealth(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
    }

    /** farm under script: its terminal's output, and a way to type into it. */
    private record Farm(Process process, StringBuffer output) {
        String text() {
            return output.toString();
        }

        void type(byte key) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(key);
            in.flush();
        }
    }

    private Farm start(Map<String, String> variant) throws IOException {
        String java = FixtureProcess.javaExecutable().toString();
        String args = variant.getOrDefault("FARM_ARG", "");
        // exec: farm itself is the terminal's foreground process, as when typed at a prompt; env resets a SIGINT a
        // background test run inherited as ignored, which a JVM would never handle.
        String command =
                "exec env --default-signal=INT '" + java + "' -jar '" + JAR + "' " + args + " dev -C '" + dir + "'";
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("NO_COLOR");
        env.remove("FORCE_COLOR");
        env.put("TERM", "xterm-256color");
        env.put("LC_ALL", "C.UTF-8");
        env.put("COLUMNS", "200");
        variant.forEach((key, value) -> {
            if (!key.equals("FARM_ARG")) {
                env.put(key, value);
            }
        });
        Process process = builder.start();
        started.add(process);
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "test-pty-reader");
        reader.setDaemon(true);
        reader.start();
        return new Farm(process, output);
    }

    private static void copy(InputStream in, StringBuffer into) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                into.append(new String(buffer, 0, n, StandardCharsets.UTF_8)); // may split a character: tests look
                // at ASCII escapes and at text far from the cut
            }
        } catch (IOException e) {
            into.append("\n[test: reading the terminal failed: ").append(e).append(']');
        }
    }

    /** The output without colour codes, as a person reads it. */
    private static String plain(String text) {
        return SGR.matcher(text).replaceAll("");
    }
}
