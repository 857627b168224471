package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.Command;
import dev.farm.config.ConfigSource;
import dev.farm.config.Dependency;
import dev.farm.config.DependencyCondition;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.ServiceKind;
import dev.farm.process.ServiceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecTranslatorTest {

    private static final Path DIR = Path.of("/project/apps/api");

    @Test
    void aStringCommandRunsThroughTheShellAndAListAsItIs() {
        assertThat(SpecTranslator.argv(new Command.Shell("npm run dev -- --port 3000")))
                .containsExactly("/bin/sh", "-c", "npm run dev -- --port 3000");
        assertThat(SpecTranslator.argv(new Command.Exec(List.of("java", "Api.java"))))
                .containsExactly("java", "Api.java");
    }

    @Test
    void aDiscoveredDomainWithoutNodeModulesGetsNpmInstallAsItsSetup(@TempDir Path project) throws IOException {
        Files.writeString(
                project.resolve("farm.yaml"),
                "discover:\n  - dir: domains\n    manifest: fulcrum.yml\n    entry: [domain.js]\n");
        for (String name : List.of("fresh", "installed")) {
            Path domain = Files.createDirectories(project.resolve("domains").resolve(name));
            Files.writeString(domain.resolve("fulcrum.yml"), "name: " + name + "\n");
            Files.writeString(domain.resolve("domain.js"), "");
            Files.writeString(domain.resolve("package.json"), "{}");
        }
        Files.createDirectories(project.resolve("domains/installed/node_modules"));

        Map<String, ServiceSpec> specs = new java.util.LinkedHashMap<>();
        SpecTranslator.translate(ConfigSource.directory(project).load()).forEach(s -> specs.put(s.name(), s));

        assertThat(specs.get("fresh").setup()).hasValue(List.of("npm", "install"));
        assertThat(specs.get("installed").setup()).isEmpty();
    }

    @Test
    void carriesEveryKeyOver() {
        ServiceConfig config = ServiceConfig.builder("api", new Command.Exec(List.of("uvicorn", "main:app")), DIR)
                .environment(Map.of("LOG_LEVEL", "debug"))
                .port(8000)
                .ready(new ProbeConfig(http(8000, "/health"), Duration.ofSeconds(5), Optional.empty(), 1))
                .dependsOn(Map.of(
                        "db", Dependency.on(DependencyCondition.READY),
                        "cache", Dependency.on(DependencyCondition.STARTED)))
                .stopTimeout(Duration.ofSeconds(3))
                .build();

        ServiceSpec spec = SpecTranslator.translate(config);

        assertThat(spec.name()).isEqualTo("api");
        assertThat(spec.command()).containsExactly("uvicorn", "main:app");
        assertThat(spec.workingDirectory()).isEqualTo(DIR);
        assertThat(spec.environment()).containsExactly(Map.entry("LOG_LEVEL", "debug"));
        assertThat(spec.port()).hasValue(8000);
        assertThat(spec.readiness())
                .get()
                .extracting(p -> p.description())
                .isEqualTo("GET http://localhost:8000/health should return 2xx or 3xx");
        assertThat(spec.readyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.stopTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.dependencies())
                .containsEntry("db", dev.farm.process.Dependency.on(dev.farm.process.DependencyCondition.READY))
                .containsEntry("cache", dev.farm.process.Dependency.on(dev.farm.process.DependencyCondition.STARTED));
        assertThat(spec.restart().when()).isEqualTo(dev.farm.process.RestartPolicy.When.ON_FAILURE);
        assertThat(spec.restart().max()).isEqualTo(5);
        assertThat(spec.restart().backoffMin()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void addressIsAUrlForHttpAndHostPortForTcp() {
        ServiceConfig web = service(OptionalInt.of(3000), Optional.of(ProbeConfig.ready(http(3000, "/"))));
        ServiceConfig db = service(OptionalInt.empty(), Optional.of(ProbeConfig.ready(new ProbeConfig.Tcp(5432))));
        ServiceConfig worker = service(OptionalInt.empty(), Optional.empty());

        assertThat(SpecTranslator.address(web)).contains("http://127.0.0.1:3000");
        assertThat(SpecTranslator.address(db)).contains("127.0.0.1:5432");
        assertThat(SpecTranslator.address(worker)).isEmpty();
    }

    @Test
    void aLogReadinessBecomesALogLineProbe() {
        ServiceConfig worker = ServiceConfig.builder("worker", new Command.Shell("run"), DIR)
                .ready(ProbeConfig.ready(new ProbeConfig.LogLine("ready on \\d+")))
                .build();

        assertThat(SpecTranslator.translate(worker).readiness())
                .get()
                .extracting(p -> p.description())
                .isEqualTo("a line of its output should match /ready on \\d+/");
    }

    @Test
    void aDaemonWithItsStopCommandAndALogLineDependencyAreCarriedOver() {
        ServiceConfig daemon = ServiceConfig.builder("db", new Command.Shell("pg_ctl start"), DIR)
                .kind(ServiceKind.DAEMON)
                .stop(new Command.Shell("pg_ctl stop"))
                .ready(ProbeConfig.ready(new ProbeConfig.Exec(new Command.Exec(List.of("pg_isready")))))
                .dependsOn(Map.of(
                        "init",
                        Dependency.on(DependencyCondition.SUCCEEDED),
                        "log",
                        new Dependency(DependencyCondition.LOG, java.util.Optional.of("ready"))))
                .build();

        ServiceSpec spec = SpecTranslator.translate(daemon);

        assertThat(spec.kind()).isEqualTo(dev.farm.process.ServiceKind.DAEMON);
        assertThat(spec.command()).containsExactly("/bin/sh", "-c", "pg_ctl start");
        assertThat(spec.stopCommand()).hasValue(List.of("/bin/sh", "-c", "pg_ctl stop"));
        assertThat(spec.readiness().orElseThrow().description())
                .isEqualTo("the command 'pg_isready' should exit with 0");
        assertThat(spec.dependencies())
                .containsEntry("init", dev.farm.process.Dependency.on(dev.farm.process.DependencyCondition.SUCCEEDED))
                .containsEntry("log", dev.farm.process.Dependency.logLine("ready"));
    }

    @Test
    void anExternalServiceHasNoCommand() {
        ServiceConfig external = new ServiceConfig(
                "postgres",
                ServiceKind.EXTERNAL,
                Optional.empty(),
                Optional.empty(),
                DIR,
                dev.farm.config.Environment.of(Map.of()),
                OptionalInt.empty(),
                false,
                Optional.of(ProbeConfig.ready(new ProbeConfig.Tcp(5432))),
                Optional.of(new ProbeConfig(
                        new ProbeConfig.Heartbeat(Duration.ofSeconds(5)), Duration.ofSeconds(5), Optional.empty(), 3)),
                Map.of(),
                dev.farm.config.RestartPolicy.DEFAULT,
                "TERM",
                Duration.ofSeconds(10),
                List.of(0),
                false,
                List.of(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                false);

        ServiceSpec spec = SpecTranslator.translate(external);

        assertThat(spec.kind()).isEqualTo(dev.farm.process.ServiceKind.EXTERNAL);
        assertThat(spec.command()).isEmpty();
        assertThat(spec.liveness().orElseThrow().every()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.liveness().orElseThrow().failures()).isEqualTo(3);
    }

    private static ProbeConfig.Http http(int port, String path) {
        return new ProbeConfig.Http(URI.create("http://localhost:" + port + path), "GET", List.of());
    }

    private static ServiceConfig service(OptionalInt port, Optional<ProbeConfig> ready) {
        ServiceConfig.Builder builder = ServiceConfig.builder("s", new Command.Shell("run"), DIR);
        port.ifPresent(builder::port);
        ready.ifPresent(builder::ready);
        return builder.build();
    }
}
