package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm doctor} without processes or sockets: an empty {@code PATH}, so no tool runs, and configs without
 * fixed ports. DoctorCommandIT covers ports, leftovers and tools found.
 */
class DoctorCommandTest {

    @TempDir
    Path dir;

    private DoctorRunner doctor(String os) throws IOException {
        Path limit = Files.writeString(dir.resolve("max_user_watches"), "10\n");
        return new DoctorRunner(Map.of("PATH", dir.resolve("empty-bin").toString()), os, limit);
    }

    @Test
    void withoutAConfigOnlyTheToolsAreCheckedAndMissingOnesAreNotProblems() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        DoctorRunner doctor = doctor("Mac OS X");

        int code = doctor.run("-C", project.toString(), "doctor", "--no-color");

        assertThat(code).as(doctor.out + "" + doctor.err).isZero();
        String out = doctor.out.toString();
        assertThat(out)
                .contains("no farm configuration in " + project.toAbsolutePath().normalize());
        assertThat(out).contains("only the tools are checked");
        assertThat(out).contains("node: not on PATH").doesNotContain("needed by");
        assertThat(out).contains("setsid: not checked (Linux only");
        assertThat(out).contains("inotify: ").contains("not checked (Linux only");
        assertThat(out).doesNotContainPattern("(?m)^. port ");
        assertThat(out.strip()).endsWith("farm doctor: nothing is wrong");
    }

    @Test
    void onLinuxAMissingSetsidIsAProblemWithItsPackage() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        DoctorRunner doctor = doctor("Linux");

        int code = doctor.run("-C", project.toString(), "doctor");

        assertThat(code).isEqualTo(Cli.SERVICE_FAILED);
        assertThat(doctor.out.toString())
                .contains("setsid: not on PATH, needed by farm itself")
                .contains("fix: install it: sudo apt-get install util-linux (Debian, Ubuntu; elsewhere: the util-linux"
                        + " package); or put its folder on PATH")
                .contains("farm doctor: 1 problem, 0 warnings");
    }

    @Test
    void aToolTheConfigNeedsIsAProblemNamingTheServiceAndTheDebianPackage() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  web:
                    command: npm run dev -- --port ${port}
                    port: auto
                  api:
                    command: [uvicorn, main:app]
                """);
        DoctorRunner doctor = doctor("Mac OS X");

        int code = doctor.run("-C", dir.toString(), "doctor");

        assertThat(code).isEqualTo(Cli.SERVICE_FAILED);
        String out = doctor.out.toString();
        assertThat(out).contains("farm.yaml: 2 services in ");
        assertThat(out).containsPattern("node: not on PATH, needed by service 'web' \\(npm run dev -- --port \\d+\\)");
        assertThat(out).contains("npm: not on PATH, needed by service 'web'");
        assertThat(out).contains("uvicorn: not on PATH, needed by service 'api' (uvicorn main:app)");
        assertThat(out).contains("python3: not on PATH, needed by service 'api'");
        assertThat(out).contains("docker: not on PATH (this config does not need it)");
        assertThat(out).contains("no process left running by an earlier farm");
        assertThat(out).as("an auto port is picked free").doesNotContainPattern("(?m)^. port ");
    }

    @Test
    void anInvalidConfigExitsThreeWithItsMessage() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api:\n    command: x\n    port: 80a\n");
        DoctorRunner doctor = doctor("Linux");

        int code = doctor.run("-C", dir.toString(), "doctor");

        assertThat(code).isEqualTo(Cli.INVALID_CONFIG);
        assertThat(doctor.err.toString()).contains("services.api.port").doesNotContain("Exception");
        assertThat(doctor.out.toString()).isEmpty();
    }

    @Test
    void aMissingFileNamedWithDashFIsAnInvalidConfig() throws IOException {
        DoctorRunner doctor = doctor("Linux");

        int code = doctor.run("-C", dir.toString(), "-f", "nope.yaml", "doctor");

        assertThat(code).isEqualTo(Cli.INVALID_CONFIG);
    }

    @Test
    void anInotifyLimitBelowTheFoldersToWatchIsAProblemWithTheSysctlFix() throws IOException {
        for (int i = 0; i < 12; i++) {
            Files.createDirectories(dir.resolve("src").resolve("pkg" + i));
        }
        Files.createDirectories(dir.resolve("node_modules").resolve("a").resolve("b"));
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: [java, Api.java]
                    watch:
                      - { paths: ["src/**"], do: restart }
                """);
        DoctorRunner doctor = doctor("Linux");

        int code = doctor.run("-C", dir.toString(), "doctor", "--no-color");

        assertThat(code).isEqualTo(Cli.SERVICE_FAILED);
        assertThat(doctor.out.toString())
                .as("the project and src with its 12 folders; node_modules is never watched")
                .contains("inotify: 14 folders to watch, limit 10 (fs.inotify.max_user_watches)")
                .contains("fix: sudo sysctl fs.inotify.max_user_watches=524288");
    }

    @Test
    void jsonHasOneObjectPerCheck() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        DoctorRunner doctor = doctor("Linux");

        int code = doctor.run("-C", project.toString(), "doctor", "--json");

        assertThat(code).isEqualTo(Cli.SERVICE_FAILED);
        String out = doctor.out.toString().strip();
        assertThat(out).startsWith("{\"ok\": false, \"checks\": [").endsWith("]}");
        assertThat(out)
                .contains("{\"check\": \"tool\", \"status\": \"problem\", \"message\": \"setsid: not on PATH, needed"
                        + " by farm itself, to run each service in its own process group\", \"fix\": \"install it:");
        assertThat(out).contains("{\"check\": \"config\", \"status\": \"note\"");
    }

    @Test
    void programsAreTheWordsOfACommandWithoutTheirFolders() {
        assertThat(DoctorCommand.programs(new Command.Shell("cd web && ./node_modules/.bin/vite --port 3000")))
                .contains("cd", "web", "vite", "3000");
        assertThat(DoctorCommand.programs(new Command.Exec(List.of("C:\\tools\\node.exe", "server.js"))))
                .containsExactly("node", "server.js");
    }
}
