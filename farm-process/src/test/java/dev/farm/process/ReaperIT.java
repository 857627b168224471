package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing outlives farm: when the JVM running a stack is SIGKILLed, the reaper companion kills every service's
 * process group within two seconds; when the supervisor closes normally, the companion ends without killing anything.
 */
@Timeout(120)
@EnabledOnOs(OS.LINUX)
class ReaperIT {

    @TempDir
    Path dir;

    @Test
    void sigkillOfTheFarmJvmLeavesNoServiceProcessBehind() throws Exception {
        Process host = new ProcessBuilder(
                        FixtureProcess.javaExecutable().toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Host.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            List<Long> groups = new ArrayList<>();
            List<String> printed = new ArrayList<>();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                printed.add(line);
                if (line.startsWith("group ")) {
                    groups.add(Long.parseLong(line.substring("group ".length())));
                }
            }
            assertThat(line)
                    .as("the host printed 'ready' after starting its stack; before that it printed %s", printed)
                    .isEqualTo("ready");
            List<Long> tree = FixtureProcess.pids(dir.resolve("tree"));
            assertThat(tree).hasSize(7);
            assertThat(groups).hasSize(2);
            assertThat(groups).allSatisfy(pgid -> assertThat(groupMembers(pgid)).isNotEmpty());
            List<Long> sleeps = groupMembers(groups.get(1));
            assertThat(sleeps).as("sh and its two sleeps").hasSizeGreaterThanOrEqualTo(3);

            host.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> {
                        assertThat(tree.stream()
                                        .filter(FixtureProcess::isRunning)
                                        .collect(Collectors.toList()))
                                .isEmpty();
                        assertThat(sleeps.stream()
                                        .filter(FixtureProcess::isRunning)
                                        .collect(Collectors.toList()))
                                .isEmpty();
                        for (long pgid : groups) {
                            assertThat(groupMembers(pgid)).isEmpty();
                        }
                    });
        } finally {
            host.destroyForcibly();
        }
    }

    @Test
    void sigkillOfTheFarmJvmRunsTheStopCommandOfItsDaemons() throws Exception {
        // pg_ctl start leaves PostgreSQL in a session of its own: killing the registered groups does not end it, only
        // its stop command does.
        Path pidFile = dir.resolve("db.pid");
        List<String> before = stopScripts();
        Process host = new ProcessBuilder(
                        FixtureProcess.javaExecutable().toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DaemonHost.class.getName(),
                        pidFile.toString(),
                        Integer.toString(FixtureProcess.freePort()))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            List<String> printed = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                printed.add(line);
            }
            assertThat(line)
                    .as("the host printed 'ready'; before that it printed %s", printed)
                    .isEqualTo("ready");
            long daemon = FixtureProcess.readPid(pidFile);
            assertThat(FixtureProcess.isRunning(daemon)).isTrue();

            host.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> {
                        assertThat(FixtureProcess.isRunning(daemon))
                                .as("the daemon")
                                .isFalse();
                        assertThat(pidFile).as("removed by the stop command").doesNotExist();
                    });
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(stopScripts())
                            .as("the reaper deleted the stop script")
                            .isSubsetOf(before));
        } finally {
            host.destroyForcibly();
            if (Files.exists(pidFile)) {
                ProcessHandle.of(FixtureProcess.readPid(pidFile)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aNormalCloseEndsTheCompanionAndKillsNothingElse() throws IOException {
        Process bystander = new ProcessBuilder(FixtureProcess.builder().command()).start();
        try {
            ProcessSupervisor supervisor = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder(
                                    "tree",
                                    FixtureProcess.builder()
                                            .tree(2, 1)
                                            .pidDirectory(dir)
                                            .command())
                            .build())
                    .build();
            supervisor.start();
            assertThat(companions()).hasSize(1);

            supervisor.close();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(companions()).isEmpty());
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly();
        }
    }

    /** The daemon stop scripts in the temporary folder, as farm names them. */
    private static List<String> stopScripts() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("farm-stop-db-"))
                    .collect(Collectors.toList());
        }
    }

    /** This JVM's reaper companions: children whose command line names the script. */
    private static List<ProcessHandle> companions() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().arguments().map(List::of).orElse(List.of()).contains("farm-reaper"))
                .collect(Collectors.toList());
    }

    /** Living (not zombie) processes whose process group is {@code pgid}, from /proc. */
    static List<Long> groupMembers(long pgid) throws IOException {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.collect(Collectors.toList())) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                stat(entry).ifPresent(fields -> {
                    if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                        members.add(Long.parseLong(name));
                    }
                });
            }
        }
        return members;
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, … */
    private static Optional<String[]> stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"), StandardCharsets.UTF_8);
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process ended while we looked
        }
    }

    /** A farm JVM running one daemon, started by a command that forks it and exits, as pg_ctl start does. */
    public static final class DaemonHost {

        private DaemonHost() {}

        public static void main(String[] args) throws Exception {
            Path pidFile = Path.of(args[0]);
            int port = Integer.parseInt(args[1]);
            ProcessSupervisor supervisor = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder(
                                    "db",
                                    FixtureProcess.builder()
                                            .listen(port, Duration.ZERO)
                                            .daemonize(pidFile)
                                            .command())
                            .daemon(FixtureProcess.builder()
                                    .stopPidFile(pidFile)
                                    .command())
                            .readiness(Probes.tcp(port))
                            .build())
                    .build();
            supervisor.start();
            System.out.println("ready");
            System.out.flush();
            System.in.read(); // until the test kills this JVM
        }
    }

    /** The farm JVM the test SIGKILLs: a stack of a three-level FixtureProcess tree and a shell with two sleeps. */
    public static final class Host {

        private Host() {}

        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Files.createDirectories(dir.resolve("tree"));
            ProcessSupervisor supervisor = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder(
                                    "tree",
                                    FixtureProcess.builder()
                                            .tree(3, 2)
                                            .pidDirectory(dir.resolve("tree"))
                                            .command())
                            .build())
                    .service(ServiceSpec.builder("sleeps", List.of("sh", "-c", "sleep 1000 & sleep 1000 & wait"))
                            .build())
                    .build();
            supervisor.start();
            for (String name : List.of("tree", "sleeps")) {
                System.out.println("group " + supervisor.pid(name).orElseThrow());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> FixtureProcess.pids(dir.resolve("tree")).size() == 7
                            && groupMembers(supervisor.pid("sleeps").orElseThrow())
                                            .size()
                                    >= 3);
            System.out.println("ready");
            System.out.flush();
            System.in.read(); // until the test kills this JVM
        }
    }
}
