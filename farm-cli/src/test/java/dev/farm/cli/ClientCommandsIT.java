package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.cli.internal.CliRunner;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each client command through {@code CommandLine.execute}, with captured output, against a stack a DevServer runs in
 * this JVM: what they print and their exit codes when a farm runs (ControlApiIT does the same with the real jar).
 */
@Timeout(120)
class ClientCommandsIT {

    @TempDir
    Path dir;

    private DevServer stack;

    @BeforeEach
    void start() throws Exception {
        stack = new StackUnderTest(dir).start("""
                name: shop
                services:
                  api:
                    command: %s
                    ready: { log: "api up" }
                  users:
                    group: domains
                    command: %s
                """.formatted(
                        yaml(FixtureProcess.builder().print("api up")),
                        yaml(FixtureProcess.builder().heartbeat(java.time.Duration.ofMillis(200)))));
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void psPrintsOneRowPerServiceAndStatusIsItsAlias() {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("-C", dir.toString(), "ps")).isZero();
        assertThat(cli.out.toString().lines().toList())
                .hasSize(3)
                .satisfies(rows -> assertThat(rows.get(0)).startsWith("NAME   GROUP    STATE  PID"))
                .satisfies(rows -> assertThat(rows.get(1))
                        .startsWith("api    -        ready  " + stack.pid("api").getAsLong()))
                .satisfies(rows -> assertThat(rows.get(2)).startsWith("users  domains  ready  "));
        assertThat(cli.err.toString()).isEmpty();

        CliRunner status = new CliRunner();
        assertThat(status.run("-C", dir.toString(), "status")).isZero();
        assertThat(status.out.toString().lines().map(ClientCommandsIT::namePidState))
                .containsExactlyElementsOf(cli.out
                        .toString()
                        .lines()
                        .map(ClientCommandsIT::namePidState)
                        .toList());
    }

    @Test
    void psWithoutPicocliPrintsWhatPicocliPrints() throws Exception {
        for (String line : new String[] {"ps", "status", "--no-color ps", "ps --json"}) {
            String[] args = ("--directory=" + dir + " " + line).split(" ", -1);
            java.io.StringWriter out = new java.io.StringWriter();
            java.util.OptionalInt quick = dev.farm.cli.internal.QuickPs.run(
                    args,
                    java.util.Map.of(),
                    new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true));
            CliRunner picocli = new CliRunner();
            assertThat(quick).as(line).hasValue(picocli.run(args)).hasValue(0);
            if (line.endsWith("--json")) {
                ObjectMapper json = new ObjectMapper();
                assertThat(json.readTree(out.toString()).get("services").findValuesAsText("name"))
                        .containsExactly("api", "users")
                        .isEqualTo(json.readTree(picocli.out.toString())
                                .get("services")
                                .findValuesAsText("name"));
            } else {
                assertThat(out.toString().lines().map(ClientCommandsIT::namePidState))
                        .as(line)
                        .containsExactlyElementsOf(picocli.out
                                .toString()
                                .lines()
                                .map(ClientCommandsIT::namePidState)
                                .toList());
            }
        }
    }

    @Test
    void psJsonIsWhatTheApiAnswers() throws Exception {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("-C", dir.toString(), "ps", "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(cli.out.toString());
        assertThat(json.get("project").asText()).isEqualTo("shop");
        assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.get("services").get(0).get("pid").asLong())
                .isEqualTo(stack.pid("api").getAsLong());
        assertThat(json.get("services").get(1).get("group").asText()).isEqualTo("domains");
    }

    @Test
    void logsPrintsTheLastLinesOfTheNamedServices() {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("-C", dir.toString(), "logs", "-n", "1", "api")).isZero();
        assertThat(cli.out.toString()).isEqualTo("api   | api up\n");

        CliRunner unknown = new CliRunner();
        assertThat(unknown.run("-C", dir.toString(), "logs", "nope")).isEqualTo(2);
        assertThat(unknown.err.toString()).startsWith("no service 'nope' in shop (services: api, users)");
    }

    @Test
    void restartStopAndStartSayWhatTheyDidAndWait() {
        OptionalLong before = stack.pid("api");

        CliRunner restart = new CliRunner();
        assertThat(restart.run("-C", dir.toString(), "restart", "api")).isZero();
        assertThat(restart.out.toString()).matches("farm: restarted api in \\d+\\.\\ds \\(ready, pid \\d+\\)\n");
        assertThat(stack.pid("api")).isNotEqualTo(before);

        CliRunner stop = new CliRunner();
        assertThat(stop.run("-C", dir.toString(), "stop", "api", "users")).isZero();
        assertThat(stop.out
                        .toString()
                        .lines()
                        .map(line -> line.replaceAll(" in .*", ""))
                        .collect(Collectors.toList()))
                .containsExactly("farm: stopped api", "farm: stopped users");
        assertThat(stack.state("api")).isEqualTo(ServiceState.STOPPED);
        assertThat(stack.state("users")).isEqualTo(ServiceState.STOPPED);

        CliRunner start = new CliRunner();
        assertThat(start.run("-C", dir.toString(), "start", "api")).isZero();
        assertThat(start.out.toString()).startsWith("farm: started api in ");
        assertThat(stack.state("api")).isEqualTo(ServiceState.READY);
    }

    @Test
    void domainsListsAndRestartsOnlyTheDomainsGroup() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    CliRunner list = new CliRunner();
                    assertThat(list.run("-C", dir.toString(), "domains", "list"))
                            .isZero();
                    assertThat(list.out.toString().lines().toList())
                            .hasSize(2)
                            .satisfies(rows -> assertThat(rows.get(0))
                                    .startsWith("NAME   STATE  PID")
                                    .contains("  UPTIME  HEARTBEAT  RESTARTS  "))
                            .satisfies(rows -> assertThat(rows.get(1))
                                    .startsWith("users  ready  ")
                                    .containsPattern(" \\d+\\.\\ds ago "));
                });

        OptionalLong before = stack.pid("users");
        CliRunner restart = new CliRunner();
        assertThat(restart.run("-C", dir.toString(), "domains", "restart", "users"))
                .isZero();
        assertThat(restart.out.toString()).startsWith("farm: restarted users in ");
        assertThat(stack.pid("users")).isNotEqualTo(before);
    }

    @Test
    void eventsStreamEachStatusThenEveryChange() throws Exception {
        JsonNode file = new ObjectMapper()
                .readTree(dir.resolve(".farm/run/control.json").toFile());
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .proxy(java.net.http.HttpClient.Builder.NO_PROXY)
                .build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> events = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(file.get("url").asText() + "/v1/events"))
                        .header("Authorization", "Bearer " + file.get("token").asText())
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        java.util.Iterator<String> lines = events.body().iterator();
        assertThat(lines.next()).isEqualTo("event: status");
        assertThat(lines.next()).startsWith("data: {\"name\":\"api\",").contains("\"state\":\"ready\"");

        stack.restart("api").get(60, java.util.concurrent.TimeUnit.SECONDS);

        java.util.List<String> changes = new java.util.ArrayList<>();
        while (changes.stream().noneMatch(line -> line.contains("\"state\":\"ready\""))) {
            String line = lines.next();
            if (line.startsWith("data: {\"service\":\"api\"")) {
                changes.add(line);
            }
        }
        assertThat(changes.get(0)).contains("\"state\":\"stopping\"", "\"message\":\"restarting\"");
        assertThat(changes).anySatisfy(line -> assertThat(line).contains("\"state\":\"starting\""));
        events.body().close();
    }

    /** The columns that stay put between two calls: NAME, GROUP, STATE, PID. */
    private static String namePidState(String row) {
        return String.join(" ", java.util.Arrays.asList(row.trim().split(" +")).subList(0, 4));
    }

    static String yaml(FixtureProcess.Builder fixture) {
        return fixture.command().stream()
                .map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
