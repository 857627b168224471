package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm doctor} against real sockets, real leftover processes and programs on a {@code PATH} of its own. */
@Timeout(120)
class DoctorCommandIT {

    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverything() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private DoctorRunner doctor(Map<String, String> env) throws IOException {
        Path limit = Files.writeString(dir.resolve("max_user_watches"), "524288\n");
        return new DoctorRunner(env, System.getProperty("os.name", ""), limit);
    }

    @Test
    void aPortHeldByThisJvmIsAProblemNamingItsPid() throws IOException {
        assumeTrue(LINUX, "naming a port's holder needs /proc");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            Files.writeString(
                    dir.resolve("farm.yaml"),
                    "services:\n  api:\n    command: [java, Api.java]\n    port: " + port + "\n");
            DoctorRunner doctor = doctor(Map.of("PATH", System.getenv("PATH")));

            int code = doctor.run("-C", dir.toString(), "doctor", "--no-color");

            assertThat(code).as(doctor.out.toString()).isEqualTo(Cli.SERVICE_FAILED);
            long self = ProcessHandle.current().pid();
            assertThat(doctor.out.toString())
                    .contains("port " + port + " (api): in use by pid " + self + " (")
                    .contains("fix: stop that process (kill " + self + "), or give services.api.port another port");
        }
    }

    @Test
    void aFreePortIsFine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(
                dir.resolve("farm.yaml"), "services:\n  api:\n    command: [java, Api.java]\n    port: " + port + "\n");
        DoctorRunner doctor = doctor(Map.of("PATH", System.getenv("PATH")));

        doctor.run("-C", dir.toString(), "doctor", "--no-color");

        assertThat(doctor.out.toString()).contains("port " + port + " (api): free");
    }

    @Test
    void aLeftoverOfAnEarlierFarmIsReportedAndFixStopsIt() throws Exception {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api:\n    command: [java, Api.java]\n");
        Process leftover = start(FixtureProcess.builder().command());
        Process deadFarm = start(FixtureProcess.builder().command());
        String farmToken = startToken(deadFarm.pid());
        deadFarm.destroyForcibly().waitFor();
        Path state = Files.createDirectories(dir.resolve(".farm")).resolve("state.json");
        Files.writeString(
                state,
                "{\"version\": 1, \"owner\": {\"pid\": " + deadFarm.pid() + ", \"startTime\": \"" + farmToken + "\"},"
                        + " \"services\": [{\"service\": \"api\", \"pid\": " + leftover.pid() + ", \"pgid\": "
                        + leftover.pid() + ", \"startTime\": \"" + startToken(leftover.pid())
                        + "\", \"command\": \"uvicorn main:app\"}]}\n",
                StandardCharsets.UTF_8);
        DoctorRunner doctor = doctor(Map.of("PATH", System.getenv("PATH")));

        doctor.run("-C", dir.toString(), "doctor", "--no-color");

        assertThat(doctor.out.toString())
                .contains("'api' (pid " + leftover.pid()
                        + ", uvicorn main:app) is still running, left by an earlier farm of this project")
                .contains("fix: farm doctor --fix stops it now");
        assertThat(leftover.isAlive()).as("without --fix nothing is touched").isTrue();

        DoctorRunner fixer = doctor(Map.of("PATH", System.getenv("PATH")));
        fixer.run("-C", dir.toString(), "doctor", "--fix", "--no-color");

        assertThat(fixer.out.toString())
                .contains("stopped 'api' (pid " + leftover.pid()
                        + ", uvicorn main:app), left running by an earlier farm");
        await().atMost(Duration.ofSeconds(30)).until(() -> !leftover.isAlive());
        assertThat(state).doesNotExist();
    }

    @Test
    void aToolOnPathIsShownWithWhereAndItsVersion() throws IOException {
        assumeTrue(!System.getProperty("os.name", "").startsWith("Windows"), "a POSIX shell script stands in for node");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path node = bin.resolve("node");
        Files.writeString(node, "#!/bin/sh\necho v99.1.0\n");
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  web:\n    command: node server.js\n");
        DoctorRunner doctor = doctor(Map.of("PATH", bin.toString()));

        doctor.run("-C", dir.toString(), "doctor", "--no-color");

        assertThat(doctor.out.toString())
                .contains("node: " + node + " (v99.1.0)")
                .doesNotContain("node: not on PATH");
    }

    private Process start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(process);
        return process;
    }

    /** The start token farm-process records: boot id and start ticks on Linux, the start instant elsewhere. */
    private static String startToken(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isReadable(stat)) {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", -1);
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                    .trim();
            return boot + ":" + fields[19]; // field 22 of stat, counted from the state after the name
        }
        return Long.toString(ProcessHandle.of(pid)
                .flatMap(p -> p.info().startInstant())
                .orElseThrow()
                .toEpochMilli());
    }
}
