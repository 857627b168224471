package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executables with POSIX permissions")
class OptionalServicesTest {

    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void pathWithMailpitOnly() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path mailpit = Files.writeString(bin.resolve("mailpit"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(mailpit, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = Map.of("PATH", bin.toString());
    }

    private FarmConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), yaml);
        return ConfigSource.directory(dir, LoadOptions.defaults()).load();
    }

    private static final String STACK = """
            services:
              ollama: { preset: ollama, port: 11999 }
              backend:
                command: uvicorn app:app
                port: 8000
                depends_on: { ollama: ready }
              mail: { command: mailpit, port: 8025, optional: true }
              worker: { command: not-installed-either }
            proxy:
              port: 7999
              routes:
                /ollama: { to: ollama, rewrite: /api }
                /: backend
            """;

    @Test
    void anOptionalServiceWhoseProgramIsMissingAndWhosePortIsSilentIsLeftOut() throws IOException {
        FarmConfig config = load(STACK);

        List<OptionalServices.Absent> absent = OptionalServices.find(config, env, false, port -> false);

        // mail is installed; worker is not optional (its start will fail and say so)
        assertThat(absent).singleElement().satisfies(left -> {
            assertThat(left.service().name()).isEqualTo("ollama");
            assertThat(left.program()).isEqualTo("ollama");
            assertThat(left.dependents()).containsExactly("backend");
            assertThat(left.message())
                    .isEqualTo("ollama: 'ollama' is not installed and nothing answers on 127.0.0.1:11999; the stack"
                            + " runs without ollama, without local AI (backend starts without waiting for it)."
                            + " Install Ollama (https://ollama.com/download) or start the Ollama app, then run farm"
                            + " dev again.");
        });
    }

    @Test
    void somethingAnsweringOnThePortKeepsTheService() throws IOException {
        FarmConfig config = load(STACK);

        assertThat(OptionalServices.find(config, env, false, port -> port == 11999))
                .isEmpty();
    }

    @Test
    void anInstalledProgramKeepsTheService() throws IOException {
        Path ollama = Files.writeString(dir.resolve("bin").resolve("ollama"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ollama, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(OptionalServices.find(load(STACK), env, false, port -> false))
                .isEmpty();
    }

    @Test
    void aCommandOnlyAShellCanResolveIsNeverJudged() throws IOException {
        FarmConfig config = load("""
                services:
                  a: { command: "OLLAMA_DEBUG=1 ollama serve", optional: true }
                  b: { command: "$OLLAMA_BIN serve", optional: true }
                  c: { command: ["./bin/missing", "serve"], optional: true }
                  d: { command: ["./bin/mailpit"], optional: true }
                """);

        assertThat(OptionalServices.find(config, env, false, port -> false))
                .extracting(left -> left.service().name())
                .as("only a path that is not there is judged missing")
                .containsExactly("c");
    }

    @Test
    void withoutDropsTheServiceAndTheDependenciesOnItAndKeepsTheRest() throws IOException {
        FarmConfig config = load(STACK);

        FarmConfig left = OptionalServices.without(config, Set.of("ollama"));

        assertThat(left.services().keySet()).containsExactly("backend", "mail", "worker");
        assertThat(left.services().get("backend").dependsOn()).isEmpty();
        assertThat(left.proxy()).isEqualTo(config.proxy());
        assertThat(OptionalServices.without(config, Set.of())).isSameAs(config);
        assertThat(OptionalServices.without(config, config.services().keySet()))
                .as("nothing would be left: the start says what is wrong instead")
                .isSameAs(config);
    }
}
