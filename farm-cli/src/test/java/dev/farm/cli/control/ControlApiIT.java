package dev.farm.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API for real: {@code farm dev} from the shaded jar in one child JVM, and {@code farm ps}, {@code logs},
 * {@code restart}, {@code stop}, {@code start}, {@code domains}, {@code down} from others, as two terminals would.
 */
@Timeout(300)
class ControlApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FarmJar farm = new FarmJar();

    @AfterEach
    void stopAll() throws InterruptedException {
        farm.close();
    }

    @Test
    void theCommandsOfAnotherTerminalDriveTheRunningStack() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("pids"));
        write(dir, """
                name: shop
                services:
                  api:
                    command: %s
                    port: auto
                    ready: { http: / }
                  web:
                    command: %s
                    depends_on: { api: ready }
                  users:
                    group: domains
                    command: %s
                """.formatted(
                        listening(FixtureProcess.builder().print("api says hi").pidDirectory(pids)),
                        yaml(FixtureProcess.builder().print("web line").pidDirectory(pids)),
                        yaml(FixtureProcess.builder().print("users domain up").pidDirectory(pids))));
        FarmJar.Running dev = farm.start(dir, "dev", "--no-watch");
        dev.awaitReady();

        Path control = dir.resolve(".farm/run/control.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(control)))
                .isEqualTo("rw-------");
        JsonNode file = JSON.readTree(control.toFile());
        assertThat(file.get("pid").asLong()).isEqualTo(dev.pid());
        assertThat(file.get("url").asText()).startsWith("http://127.0.0.1:");

        FarmJar.Result ps = farm.run(dir, "ps");
        assertThat(ps.code()).as(ps.err()).isZero();
        List<String> rows = ps.out().lines().toList();
        assertThat(rows.get(0)).startsWith("NAME").contains("STATE", "PID", "PORT", "UPTIME", "RESTARTS", "RSS");
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("api ").contains(" ready "));
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("users").contains("domains", "ready"));

        JsonNode services = JSON.readTree(farm.run(dir, "ps", "--json").out());
        JsonNode api = service(services, "api");
        long apiPid = api.get("pid").asLong();
        assertThat(api.get("state").asText()).isEqualTo("ready");
        assertThat(api.get("port").asInt()).isPositive();
        assertThat(api.get("rss_bytes").asLong()).isPositive();
        assertThat(FixtureProcess.isRunning(apiPid)).isTrue();

        FarmJar.Result logs = farm.run(dir, "logs", "-n", "5", "api");
        assertThat(logs.out()).containsPattern("(?m)^api +\\| api says hi$").doesNotContain("web line");
        assertThat(farm.run(dir, "logs").out())
                .containsPattern("(?m)^web +\\| web line$")
                .containsPattern("(?m)^users +\\| users domain up$");

        FarmJar.Result restart = farm.run(dir, "restart", "api");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out()).startsWith("farm: restarted api in ").contains("(ready, pid ");
        JsonNode afterRestart =
                service(JSON.readTree(farm.run(dir, "ps", "--json").out()), "api");
        assertThat(afterRestart.get("pid").asLong()).isNotEqualTo(apiPid);
        assertThat(FixtureProcess.isRunning(apiPid)).as("the old api is gone").isFalse();

        assertThat(farm.run(dir, "stop", "web").code()).isZero();
        assertThat(service(JSON.readTree(farm.run(dir, "ps", "--json").out()), "web")
                        .get("state")
                        .asText())
                .isEqualTo("stopped");
        assertThat(farm.run(dir, "start", "web").code()).isZero();
        assertThat(service(JSON.readTree(farm.run(dir, "ps", "--json").out()), "web")
                        .get("state")
                        .asText())
                .isEqualTo("ready");

        FarmJar.Result domains = farm.run(dir, "domains", "list");
        assertThat(domains.out().lines().toList())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("users")
                .contains("ready");
        FarmJar.Result notADomain = farm.run(dir, "domains", "restart", "api");
        assertThat(notADomain.code()).isEqualTo(2);
        assertThat(notADomain.err()).startsWith("no domain 'api' in shop (domains: users)");
        assertThat(farm.run(dir, "domains", "restart", "users").out()).startsWith("farm: restarted users in ");

        FarmJar.Result unknown = farm.run(dir, "restart", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("no service 'nope' in shop (services: api, web, users)");

        FarmJar.Result down = farm.run(dir, "down");
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.out())
                .startsWith("farm: stopping shop (pid " + dev.pid() + ")")
                .contains("farm: stopped shop");
        assertThat(dev.awaitExit()).isZero();
        assertThat(control).as("removed on exit").doesNotExist();
        assertThat(FixtureProcess.pids(pids)).isNotEmpty().noneMatch(FixtureProcess::isRunning);

        FarmJar.Result none = farm.run(dir, "ps");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).startsWith("farm: no farm is running for the project in ");
    }

    @Test
    void logsFollowPrintsWhatComesNext() throws Exception {
        write(dir, """
                services:
                  api:
                    command: %s
                """.formatted(yaml(FixtureProcess.builder().print("first incarnation"))));
        FarmJar.Running dev = farm.start(dir, "dev", "--no-watch");
        dev.awaitReady();
        FarmJar.Running follow = farm.start(dir, "logs", "-f", "-n", "1");
        follow.awaitLine(line -> line.matches("api +\\| first incarnation"));

        assertThat(farm.run(dir, "restart", "api").code()).isZero();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(follow.out)
                        .filteredOn(line -> line.matches("api +\\| first incarnation"))
                        .as("the line printed first, then the new incarnation's: %s", follow.out)
                        .hasSize(2));
        follow.process.destroy();
    }

    @Test
    void requestsWithoutTheTokenGet401() throws Exception {
        write(dir, "services:\n  api:\n    command: %s\n".formatted(yaml(FixtureProcess.builder())));
        FarmJar.Running dev = farm.start(dir, "dev", "--no-watch");
        dev.awaitReady();
        JsonNode file = JSON.readTree(dir.resolve(".farm/run/control.json").toFile());
        URI services = URI.create(file.get("url").asText() + "/v1/services");
        HttpClient http =
                HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

        HttpResponse<String> none =
                http.send(HttpRequest.newBuilder(services).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(
                HttpRequest.newBuilder(services)
                        .header("Authorization", "Bearer not-the-token")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> shutdownWithout = http.send(
                HttpRequest.newBuilder(URI.create(file.get("url").asText() + "/v1/shutdown"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> right = http.send(
                HttpRequest.newBuilder(services)
                        .header("Authorization", "Bearer " + file.get("token").asText())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"farm\"");
        assertThat(JSON.readTree(none.body()).get("error").asText()).startsWith("missing or wrong bearer token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(shutdownWithout.statusCode()).isEqualTo(401);
        assertThat(dev.process.isAlive())
                .as("an unauthorized shutdown does nothing")
                .isTrue();
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(right.body())
                        .get("services")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("api");
    }

    @Test
    void twoProjectsRunSideBySide() throws Exception {
        Path one = Files.createDirectory(dir.resolve("one"));
        Path two = Files.createDirectory(dir.resolve("two"));
        write(one, "services:\n  alpha:\n    command: %s\n".formatted(yaml(FixtureProcess.builder())));
        write(two, "services:\n  beta:\n    command: %s\n".formatted(yaml(FixtureProcess.builder())));
        FarmJar.Running first = farm.start(one, "dev", "--no-watch");
        FarmJar.Running second = farm.start(two, "dev", "--no-watch");
        first.awaitReady();
        second.awaitReady();

        assertThat(farm.run(dir, "-C", "one", "ps").out()).contains("alpha").doesNotContain("beta");
        assertThat(farm.run(two, "ps").out()).contains("beta").doesNotContain("alpha");
        Files.createDirectories(two.resolve("apps/web"));
        assertThat(farm.run(two.resolve("apps/web"), "ps").out())
                .as("from a folder inside the project")
                .contains("beta");
        assertThat(JSON.readTree(one.resolve(".farm/run/control.json").toFile()).get("url"))
                .isNotEqualTo(
                        JSON.readTree(two.resolve(".farm/run/control.json").toFile())
                                .get("url"));

        FarmJar.Result again = farm.run(one, "dev", "--no-watch");
        assertThat(again.code()).isEqualTo(4);
        assertThat(again.err()).startsWith("farm: farm is already running this project (pid " + first.pid());
        assertThat(first.process.isAlive()).isTrue();
    }

    @Test
    void aControlFileADeadFarmLeftIsRemovedAndReplaced() throws Exception {
        write(dir, "services:\n  api:\n    command: %s\n".formatted(yaml(FixtureProcess.builder())));
        Process ended =
                new ProcessBuilder(FixtureProcess.builder().exitAfterPrinting(0).command()).start();
        ended.waitFor();
        Path control = dir.resolve(".farm/run/control.json");
        Files.createDirectories(control.getParent());
        Files.writeString(control, """
                {"version":1,"url":"http://127.0.0.1:9","token":"old","pid":%d,
                 "process_start":"2026-01-01T00:00:00Z","project":"old","config":"farm.yaml"}
                """.formatted(ended.pid()));

        FarmJar.Result ps = farm.run(dir, "ps");

        assertThat(ps.code()).isEqualTo(1);
        assertThat(ps.err())
                .startsWith("farm: no farm is running for old in ")
                .contains("(pid " + ended.pid() + ") has ended without cleaning up; its stale ")
                .contains("was removed. Start it again with: farm dev");
        assertThat(control).doesNotExist();

        Files.writeString(control, "{\"url\":\"http://127.0.0.1:9\",\"token\":\"old\",\"pid\":" + ended.pid() + "}");
        FarmJar.Running dev = farm.start(dir, "dev", "--no-watch");
        dev.awaitReady();
        assertThat(JSON.readTree(control.toFile()).get("pid").asLong()).isEqualTo(dev.pid());
        assertThat(farm.run(dir, "ps").out()).contains("api");
    }

    @Test
    void aServiceThatHeartbeatsStaysAndOneThatStopsIsRestarted() throws Exception {
        write(dir, """
                services:
                  steady:
                    command: %s
                    alive: { heartbeat: 1s }
                  stuck:
                    command: %s
                    alive: { heartbeat: 1s }
                    restart: { when: on-failure, backoff: 100ms..1s }
                """.formatted(
                        yaml(FixtureProcess.builder().heartbeat(Duration.ofMillis(200))),
                        yaml(FixtureProcess.builder()
                                .print("stuck started")
                                .heartbeat(Duration.ofMillis(200))
                                .stopHeartbeat(Duration.ofMillis(1500)))));
        FarmJar.Running dev = farm.start(dir, "dev", "--no-watch");
        dev.awaitReady();
        long steadyPid = service(JSON.readTree(farm.run(dir, "ps", "--json").out()), "steady")
                .get("pid")
                .asLong();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> dev.out.stream()
                                .filter(line -> line.matches("stuck +\\| stuck started"))
                                .count()
                        >= 2);

        JsonNode now = JSON.readTree(farm.run(dir, "ps", "--json").out());
        assertThat(service(now, "stuck").get("restarts").asInt()).isPositive();
        assertThat(dev.output()).contains("stopped answering");
        assertThat(service(now, "steady").get("restarts").asInt()).isZero();
        assertThat(service(now, "steady").get("pid").asLong()).isEqualTo(steadyPid);
        assertThat(service(now, "steady").get("state").asText()).isEqualTo("ready");
    }

    @Test
    void serveRunsTheServeProfile() throws Exception {
        write(dir, """
                services:
                  api:
                    command: %s
                profiles:
                  serve:
                    services:
                      api:
                        command: %s
                """.formatted(
                        yaml(FixtureProcess.builder().print("dev mode")),
                        yaml(FixtureProcess.builder().print("serve mode"))));
        FarmJar.Running serve = farm.start(dir, "serve");
        serve.awaitReady();

        assertThat(farm.run(dir, "logs", "api").out())
                .containsPattern("api +\\| serve mode")
                .doesNotContain("dev mode");
        assertThat(serve.output()).doesNotContain("watching");
        assertThat(farm.run(dir, "down").code()).isZero();
        assertThat(serve.awaitExit()).isZero();
    }

    private static JsonNode service(JsonNode services, String name) {
        for (JsonNode service : services.get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("no " + name + " in " + services);
    }

    private static void write(Path project, String yaml) throws IOException {
        Files.writeString(project.resolve("farm.yaml"), yaml);
    }

    /** A fixture listening on the port farm picks, {@code ${port}}. */
    private static String listening(FixtureProcess.Builder fixture) {
        List<String> command = new ArrayList<>(fixture.listen(0, Duration.ZERO).command());
        command.replaceAll(arg -> arg.equals("--listen=0") ? "--listen=${port}" : arg);
        return quote(command);
    }

    static String yaml(FixtureProcess.Builder fixture) {
        return quote(fixture.command());
    }

    private static String quote(List<String> command) {
        return command.stream()
                .map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
