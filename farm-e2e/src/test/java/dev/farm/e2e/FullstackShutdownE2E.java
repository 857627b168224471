package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.testkit.fixture.FixtureProcess;
import dev.farm.testkit.fixture.OllamaStub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How examples/fullstack ends: Ctrl-C in the terminal {@code farm dev} runs in (tmux; the screen is also saved as a
 * picture), then {@code kill -9} of farm, then the next {@code farm dev}. Nothing of the stack may be left: no process,
 * no process group, no port, and PostgreSQL stopped by {@code pg_ctl stop} (by farm, or by farm's reaper when farm was
 * killed).
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullstackShutdownE2E {

    /** What PostgreSQL logs when {@code pg_ctl stop -m fast} asks it to stop; a SIGKILL would log nothing. */
    static final String FAST_SHUTDOWN = "received fast shutdown request";

    @TempDir
    static Path temp;

    static OllamaStub ollama;
    static FullstackProject project;
    static Browser browser;

    @BeforeAll
    static void copyTheExample() throws IOException {
        FullstackProject.requirePrerequisites();
        Prerequisites.program("tmux", "tmux");
        ollama = OllamaStub.builder()
                .port(FixtureProcess.freePort())
                .model("llama3.1", 4_700_000_000L)
                .build()
                .start();
        project = FullstackProject.copy(temp, ollama.port());
        browser = Browser.start(temp.resolve("chromium"));
    }

    @AfterAll
    static void stop() {
        try (OllamaStub stub = ollama;
                Browser chromium = browser) {
            // closed in reverse order
        }
    }

    @Test
    @Order(1)
    void ctrlCInTheTerminalStopsEveryProcessStopsPostgresWithPgCtlAndFreesEveryPort() throws Exception {
        try (Tmux tmux = Tmux.start(temp)) {
            // The command as the README has it; ./farm is the repository's launcher, here the jar it runs.
            // The command as the README has it; ./farm is the repository's launcher, here the jar it runs, and it
            // notes farm's exit code where the screen does not show it.
            Path exitCode = temp.resolve("farm-exit-code");
            tmux.type("function ./farm { '" + FixtureProcess.javaExecutable() + "' -jar '" + FarmProcess.jar()
                    + "' \"$@\"; echo $? > '" + exitCode + "'; }; clear");
            tmux.type("./farm dev -C examples/fullstack");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("farm exited:\n" + tmux.history(), () -> Files.exists(exitCode))
                    .until(() -> tmux.history().contains("Press Ctrl-C to stop."));
            await().atMost(Duration.ofSeconds(10)) // the first codegen run follows the summary
                    .until(() -> tmux.history().contains("codegen api-types:"));
            TerminalPicture.render(
                    tmux.screen(),
                    "farm dev -C examples/fullstack",
                    browser,
                    FullstackE2E.SCREENSHOTS.resolve("farm-dev-terminal.png"));

            Stack stack = Stack.of(project);
            tmux.keys("C-c"); // the terminal's SIGINT, to farm: the services run in sessions of their own

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(exitCode)
                            && !Files.readString(exitCode).isBlank());
            String screen = tmux.history();
            System.out.println("FullstackShutdownE2E: the terminal after Ctrl-C:\n" + screen);
            assertThat(Files.readString(exitCode).strip())
                    .as("farm's exit code")
                    .isEqualTo("0");
            assertThat(screen)
                    .contains("db/pg: pg_ctl stop: PostgreSQL on port " + project.ports.get("db") + " stopped");
            assertThat(stack.alive()).as("processes of the stack still alive").isEmpty();
            assertThat(stack.groupsAlive())
                    .as("process groups of the stack with a member")
                    .isEmpty();
            stack.assertPostgresStoppedByPgCtl(1);
            stack.assertPortsFree();
        }
    }

    @Test
    @Order(2)
    void sigkillOfFarmEndsEveryGroupWithinTwoSecondsAndTheReaperStopsPostgres() throws Exception {
        FarmProcess farm =
                FarmProcess.start(project.dir, "dev", "--port", Integer.toString(project.ports.get("proxy")));
        try {
            farm.awaitReady(Duration.ofSeconds(90));
            assertThat(farm.output()).contains("skipping initdb");
            Stack stack = Stack.of(project);
            assertThat(stack.groups())
                    .as("web and api lead a process group each")
                    .contains(
                            FarmProcess.pid(project.dir, "web").orElseThrow(),
                            FarmProcess.pid(project.dir, "api").orElseThrow());

            farm.signal("KILL");
            long killed = System.nanoTime();
            farm.awaitExit(Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(stack.groupsAlive()).isEmpty());
            System.out.printf(
                    "FullstackShutdownE2E: every process group gone %d ms after SIGKILL%n",
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            // PostgreSQL runs outside the groups: the reaper runs db's stop command, db/pg stop (pg_ctl stop).
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(stack.alive()).isEmpty());
            System.out.printf(
                    "FullstackShutdownE2E: PostgreSQL and everything else gone %d ms after SIGKILL%n",
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            stack.assertPostgresStoppedByPgCtl(2);
            stack.assertPortsFree();
        } finally {
            farm.process().destroyForcibly();
        }

        // The next farm dev finds nothing in its way, and starts PostgreSQL again.
        try (FarmProcess next =
                FarmProcess.start(project.dir, "dev", "--port", Integer.toString(project.ports.get("proxy")))) {
            next.awaitReady(Duration.ofSeconds(90));
            assertThat(FarmProcess.service(project.dir, "db").get("state").asText())
                    .isEqualTo("ready");
            assertThat(FarmProcess.service(project.dir, "db").get("adopted").asBoolean())
                    .isFalse();
        }
        Stack.postmasterPid(project)
                .ifPresent(pid -> assertThat(FixtureProcess.isRunning(pid))
                        .as("postgres %d after the last farm stopped (SIGTERM)", pid)
                        .isFalse());
    }

    /**
     * What ran before farm stopped: every process farm started (and theirs) and PostgreSQL's, and the process groups
     * of farm's services (not those of its reaper companion, which ends last, nor PostgreSQL's own).
     */
    record Stack(FullstackProject project, Set<Long> processes, Set<Long> groups) {

        static Stack of(FullstackProject project) throws IOException, InterruptedException {
            JsonNode control = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Files.readString(project.dir.resolve(".farm/run/control.json")));
            long farm = control.get("pid").asLong();
            Set<Long> processes = new LinkedHashSet<>();
            Set<Long> groups = new LinkedHashSet<>();
            ProcessHandle.of(farm)
                    .ifPresent(handle -> handle.descendants().forEach(child -> {
                        processes.add(child.pid());
                        boolean reaper = child.info()
                                .arguments()
                                .map(List::of)
                                .orElse(List.of())
                                .contains("farm-reaper");
                        if (!reaper) {
                            stat(child.pid()).ifPresent(fields -> groups.add(Long.parseLong(fields[2])));
                        }
                    }));
            long postmaster = postmasterPid(project).orElseThrow(() -> new AssertionError("postgres is not running"));
            processes.add(postmaster);
            ProcessHandle.of(postmaster)
                    .ifPresent(handle -> handle.descendants().forEach(child -> processes.add(child.pid())));
            assertThat(processes.size())
                    .as("farm's children (web, api, the reaper...) and postgres's")
                    .isGreaterThanOrEqualTo(6);
            return new Stack(project, processes, groups);
        }

        static Optional<Long> postmasterPid(FullstackProject project) throws IOException {
            Path pidFile = project.postgresData().resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
        }

        /** The recorded processes still alive (zombies count as gone). */
        List<Long> alive() {
            return processes.stream()
                    .filter(pid ->
                            stat(pid).filter(fields -> !fields[0].equals("Z")).isPresent())
                    .collect(Collectors.toList());
        }

        /** The recorded process groups that still have a living member, with their members. */
        Map<Long, List<Long>> groupsAlive() throws IOException {
            Map<Long, List<Long>> alive = new java.util.TreeMap<>();
            try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
                for (Path entry : entries.collect(Collectors.toList())) {
                    String name = entry.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    stat(pid).ifPresent(fields -> {
                        long pgid = Long.parseLong(fields[2]);
                        if (!fields[0].equals("Z") && groups.contains(pgid)) {
                            alive.computeIfAbsent(pgid, g -> new ArrayList<>()).add(pid);
                        }
                    });
                }
            }
            return alive;
        }

        /** postmaster.pid is gone and PostgreSQL's log says {@code pg_ctl stop -m fast} asked it, this many times. */
        void assertPostgresStoppedByPgCtl(int times) throws IOException {
            assertThat(project.postgresData().resolve("postmaster.pid")).doesNotExist();
            String log = Files.readString(project.postgresLog(), StandardCharsets.UTF_8);
            Matcher matcher = Pattern.compile(Pattern.quote(FAST_SHUTDOWN)).matcher(log);
            int count = 0;
            while (matcher.find()) {
                count++;
            }
            assertThat(count)
                    .as("'%s' in %s:%n%s", FAST_SHUTDOWN, project.postgresLog(), log)
                    .isEqualTo(times);
            assertThat(log).contains("database system is shut down");
        }

        /** Every port of the stack but the Ollama stub's (adopted: farm never owned it) can be bound again. */
        void assertPortsFree() {
            for (Map.Entry<String, Integer> port : project.ports.entrySet()) {
                if (port.getKey().equals("ollama")) {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket(port.getValue(), 1, InetAddress.getLoopbackAddress())) {
                    assertThat(socket.getLocalPort()).isEqualTo(port.getValue());
                } catch (IOException e) {
                    throw new AssertionError(port.getKey() + "'s port " + port.getValue() + " is still taken: " + e, e);
                }
            }
        }

        /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ... */
        static Optional<String[]> stat(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
                return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // it ended
            }
        }
    }
}
