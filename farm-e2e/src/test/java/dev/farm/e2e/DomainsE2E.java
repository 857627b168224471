package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/domains, the Fulcrum stack, run by the real farm.jar the way its README says: {@code farm dev} in one
 * terminal, and {@code farm domains list}, {@code farm domains restart} and {@code farm ps --json} as second farm
 * processes against the same folder, as from another terminal. The example is copied without {@code node_modules}, so
 * farm runs the orders domain's {@code npm install} first.
 *
 * <p>The tests share one stack and run in order; the last one stops it with SIGINT. On a failure, farm's output is
 * printed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DomainsE2E {

    private static final Path EXAMPLE =
            Path.of("..", "examples", "domains").toAbsolutePath().normalize();
    private static final List<String> DOMAINS = List.of("orders", "payments", "users");
    private static final List<String> SERVICES = List.of("gateway", "orders", "payments", "users");
    private static final String GATEWAY = "http://127.0.0.1:50051";
    /** Starting includes npm install, from the registry when npm's cache is cold. */
    private static final Duration START = Duration.ofMinutes(2);
    /** A restart, or three missed heartbeat checks of 2 s and a restart. */
    private static final Duration RESTART = Duration.ofSeconds(45);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    static Path temp;

    private Path project;
    private FarmProcess farm;

    @RegisterExtension
    final TestWatcher farmOutputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (farm != null) {
                System.err.println("farm dev's output, for " + context.getDisplayName() + ":\n" + farm.output());
            }
        }
    };

    @BeforeAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void startTheStack() throws IOException {
        Prerequisites.program("node", "nodejs");
        Prerequisites.program("npm", "npm");
        project = temp.resolve("domains");
        FarmProcess.copyProject(EXAMPLE, project);
        assertThat(project.resolve("domains/orders/node_modules")).doesNotExist();

        farm = FarmProcess.start(project, "dev");

        farm.awaitLine("farm +\\| all 4 services ready in .*", START);
    }

    @AfterAll
    void stopTheStack() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    @Order(1)
    void ordersRunsItsNpmInstallAsSetupBeforeItsFirstStart() {
        List<String> lines = farm.lines();
        int setup = indexOf(lines, "farm +\\| starting orders \\(pid \\d+\\): running setup: npm install");
        int done = indexOf(lines, "farm +\\| starting orders: setup done in [0-9.]+ m?s");
        int first = indexOf(
                lines, "farm +\\| starting orders \\(pid \\d+\\): .*(tsx|--experimental-strip-types) domain\\.ts");

        assertThat(setup).as("the setup line").isNotNegative();
        assertThat(done).as("the setup's end, after its start").isGreaterThan(setup);
        assertThat(first).as("the first start, after the setup").isGreaterThan(done);
        assertThat(project.resolve("domains/orders/node_modules/tsx/package.json"))
                .isRegularFile();
        assertThat(lines)
                .as("users and payments have no package.json, so no setup")
                .noneMatch(line -> line.matches("farm +\\| starting (users|payments) .*running setup.*"));
    }

    @Test
    @Order(2)
    void theGatewayReachesEachDomainAndOrdersCallsUsersAndPaymentsThroughIt() throws Exception {
        await("the three domains registered with the gateway")
                .atMost(RESTART)
                .untilAsserted(() -> assertThat(JSON.readTree(get("/").body()).findValuesAsText("domain"))
                        .containsExactlyInAnyOrderElementsOf(DOMAINS));

        assertThat(get("/users/1").body()).contains("\"name\":\"Ada Lovelace\"");
        HttpResponse<String> order = post("/orders", "{\"user\": 1, \"items\": [\"book\"], \"total\": 12.5}");
        assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
        JsonNode placed = JSON.readTree(order.body());
        assertThat(placed.get("status").asText()).isEqualTo("paid");
        assertThat(get("/payments").body())
                .contains("\"order\":" + placed.get("id").asInt(), "\"amount\":12.5", "\"currency\":\"EUR\"");
        assertThat(post("/orders", "{\"user\": 99, \"items\": [\"book\"], \"total\": 1}")
                        .statusCode())
                .as("an order for a user the users domain does not know")
                .isEqualTo(422);
    }

    @Test
    @Order(3)
    void domainsListShowsTheThreeDomainsWithTheirHeartbeatAge() {
        Pattern row = Pattern.compile("(\\S+) +(\\S+) +\\d+ +\\d+ +\\S+ +(\\d+\\.\\d)s ago +.*");
        await("every domain in farm domains list with a heartbeat")
                .atMost(RESTART)
                .untilAsserted(() -> {
                    FarmProcess.Result list =
                            FarmProcess.run(project, "domains", "list").assertSuccess();
                    List<String> rows = list.out().lines().toList();
                    assertThat(rows.get(0))
                            .as("the header")
                            .matches("NAME +STATE +PID +PORT +UPTIME +HEARTBEAT +RESTARTS +CPU +RSS +LAST EXIT");
                    Map<String, Double> ages = new LinkedHashMap<>();
                    for (String line : rows.subList(1, rows.size())) {
                        Matcher matcher = row.matcher(line);
                        assertThat(matcher.matches())
                                .as("a row with a heartbeat age: %s", line)
                                .isTrue();
                        assertThat(matcher.group(2)).as(line).isEqualTo("ready");
                        ages.put(matcher.group(1), Double.parseDouble(matcher.group(3)));
                    }
                    assertThat(ages.keySet())
                            .as("only the domains, not the gateway")
                            .containsExactlyElementsOf(DOMAINS);
                    assertThat(ages.values())
                            .as("seconds since each domain's last heartbeat (one a second)")
                            .allSatisfy(age -> assertThat(age).isLessThan(3.0));
                });
    }

    @Test
    @Order(4)
    void domainsRestartUsersRestartsOnlyUsers() throws Exception {
        Map<String, Long> before = pids();

        FarmProcess.Result restart =
                FarmProcess.run(project, "domains", "restart", "users").assertSuccess();

        Map<String, Long> after = pids();
        assertThat(restart.out())
                .matches("farm: restarted users in \\d+\\.\\ds \\(ready, pid " + after.get("users") + "\\)\\R");
        assertThat(after.get("users")).isNotEqualTo(before.get("users"));
        assertThat(alive(before.get("users")))
                .as("the old users process is alive")
                .isFalse();
        for (String other : List.of("gateway", "orders", "payments")) {
            assertThat(after.get(other)).as(other).isEqualTo(before.get(other));
        }
        await("users answering through the gateway again")
                .atMost(RESTART)
                .untilAsserted(() -> assertThat(get("/users").statusCode()).isEqualTo(200));
    }

    @Test
    @Order(5)
    void killMinusNineOfOrdersIsFollowedByARestart() throws Exception {
        Map<String, Long> before = pids();
        long orders = before.get("orders");
        int restarts = service("orders").get("restarts").asInt();
        List<ProcessHandle> tree = new ArrayList<>(
                ProcessHandle.of(orders).orElseThrow().descendants().toList());

        ProcessHandle.of(orders).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9

        await("orders restarted and ready").atMost(RESTART).untilAsserted(() -> {
            JsonNode now = service("orders");
            assertThat(now.get("pid").asLong()).isNotEqualTo(orders);
            assertThat(now.get("state").asText()).isEqualTo("ready");
            assertThat(now.get("restarts").asInt()).isEqualTo(restarts + 1);
        });
        farm.awaitLine("farm +\\| orders restart \\d+ of \\d+ in .*\\(exited with code 137\\)", RESTART);
        await("the killed process's children gone too")
                .atMost(RESTART)
                .untilAsserted(() -> assertThat(tree).noneMatch(ProcessHandle::isAlive));
        await("the new orders process heartbeating and reached through the gateway")
                .atMost(RESTART)
                .untilAsserted(() -> {
                    assertThat(service("orders").get("heartbeat_age_ms").isNumber())
                            .isTrue();
                    assertThat(get("/orders").statusCode()).isEqualTo(200);
                });
        Map<String, Long> after = pids();
        for (String other : List.of("gateway", "payments", "users")) {
            assertThat(after.get(other)).as(other).isEqualTo(before.get(other));
        }
    }

    @Test
    @Order(6)
    void aDomainThatStopsHeartbeatingIsRestarted() throws Exception {
        Map<String, Long> before = pids();
        JsonNode payments = service("payments");
        long pid = payments.get("pid").asLong();
        int port = payments.get("port").asInt();

        HttpResponse<String> stall = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stall"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stall.statusCode()).as(stall.body()).isEqualTo(202);

        farm.awaitLine(
                "farm +\\| payments: stopped answering: the service should report a heartbeat at least every 2000 ms,"
                        + " 3 attempts in a row failed, last: last heartbeat \\d+ ms ago",
                RESTART);
        await("payments restarted and ready").atMost(RESTART).untilAsserted(() -> {
            JsonNode now = service("payments");
            assertThat(now.get("pid").asLong()).isNotEqualTo(pid);
            assertThat(now.get("state").asText()).isEqualTo("ready");
            assertThat(now.get("heartbeat_age_ms").isNumber())
                    .as("the new process heartbeats")
                    .isTrue();
        });
        assertThat(alive(pid)).as("the stalled process is alive").isFalse();
        Map<String, Long> after = pids();
        for (String other : List.of("gateway", "orders", "users")) {
            assertThat(after.get(other)).as(other).isEqualTo(before.get(other));
        }
    }

    @Test
    @Order(7)
    void ctrlCLeavesNoProcessOfTheStackAlive() throws Exception {
        List<ProcessHandle> stack = new ArrayList<>();
        for (long pid : pids().values()) {
            ProcessHandle.of(pid).ifPresent(service -> {
                stack.add(service);
                stack.addAll(service.descendants().toList());
            });
        }
        stack.addAll(farm.process().descendants().toList()); // the reaper companion too
        assertThat(stack.size())
                .as("the four services' processes and their children")
                .isGreaterThan(4);

        farm.interrupt();

        assertThat(farm.awaitExit(Duration.ofSeconds(60)))
                .as("farm's exit code after Ctrl-C")
                .isZero();
        farm.awaitLine("farm +\\| all services stopped", Duration.ofSeconds(10));
        await("every process of the stack gone")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(stack.stream()
                                .filter(ProcessHandle::isAlive)
                                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                                .collect(Collectors.toList()))
                        .isEmpty());
        assertThat(project.resolve(".farm/run/control.json")).doesNotExist();
        try (ServerSocket gatewayPort = new ServerSocket(50051, 1, InetAddress.getLoopbackAddress())) {
            assertThat(gatewayPort.getLocalPort())
                    .as("the gateway's port is free again")
                    .isEqualTo(50051);
        }
    }

    /** Each service's pid, from {@code farm ps --json} run beside the stack. */
    private Map<String, Long> pids() throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (JsonNode service : ps().get("services")) {
            pids.put(service.get("name").asText(), service.get("pid").asLong());
        }
        assertThat(pids.keySet()).containsExactlyElementsOf(SERVICES);
        return pids;
    }

    private JsonNode service(String name) throws Exception {
        for (JsonNode service : ps().get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("no service " + name + " in farm ps --json");
    }

    private JsonNode ps() throws Exception {
        return JSON.readTree(
                FarmProcess.run(project, "ps", "--json").assertSuccess().out());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int indexOf(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
