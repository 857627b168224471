package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.farm.config.Command;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigSource;
import dev.farm.config.Dependency;
import dev.farm.config.DependencyCondition;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a {@link ConfigSource} that reads a project's {@code farm.yaml}: {@link ConfigSource#load()}
 * returns the services, commands, dependencies, ports and readiness probes the file describes, reads the file again
 * on every call, and reports a wrong file as a {@link ConfigException} naming the file and the key, never as another
 * exception.
 *
 * <p>Extend it with a test class that makes a source of your implementation for a {@code farm.yaml} the kit wrote:
 *
 * <pre>{@code
 * class MyConfigSourceCompatibilityTest extends ConfigSourceCompatibilityKit {
 *     @Override
 *     protected ConfigSource source(Path farmYaml) {
 *         return new MyConfigSource(farmYaml);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test writes {@link #FARM_YAML} (or a variant) to {@code farm.yaml} in its own {@code @TempDir}; the file uses
 * no {@code ${...}} variable, no {@code port: auto} and no {@code cwd}, so the result does not depend on the machine. A
 * source of another format may translate the file in {@link #source(Path)}. A test that does not apply to an
 * implementation can be turned off by overriding its method without {@code @Test}.
 *
 * @since 0.1
 */
public abstract class ConfigSourceCompatibilityKit {

    /**
     * The project every test starts from: four services with both command forms, every kind of dependency condition
     * but {@code completed}, fixed ports, and tcp, http and log readiness probes.
     */
    protected static final String FARM_YAML = """
            name: shop
            services:
              db:
                command: [java, Db.java]
                port: 5432
                ready: { tcp: 5432, timeout: 20s }
              api:
                command: java Api.java --port 8000
                port: 8000
                env: { LOG_LEVEL: debug }
                ready: { http: /health }
                depends_on: { db: ready }
              worker:
                command: [java, Worker.java, --queue, jobs]
                ready: { log: "worker up", timeout: 90s }
                depends_on:
                  api: started
                  migrate: succeeded
                  db: { log: "accepting connections" }
              migrate:
                command: java Migrate.java up
            """;

    private Path farmYaml = Path.of("unset");

    /** For subclasses. */
    protected ConfigSourceCompatibilityKit() {}

    /**
     * Makes a source of the implementation under test for a project's configuration file.
     *
     * @param farmYaml the {@code farm.yaml} of the project, absolute; its folder is the project folder and holds no
     *     other configuration file. It may not exist yet: one test checks what loading a missing file does.
     * @return the source, never {@code null}; it must not read the file before {@link ConfigSource#load()}
     */
    protected abstract ConfigSource source(Path farmYaml);

    @BeforeEach
    void project(@TempDir Path dir) {
        farmYaml = dir.toAbsolutePath().resolve("farm.yaml");
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private Path write(String yaml) {
        try {
            return Files.writeString(farmYaml, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FarmConfig loadCanonical() {
        write(FARM_YAML);
        return source(farmYaml).load();
    }

    private static ServiceConfig service(FarmConfig config, String name) {
        assertThat(config.services()).as("services").containsKey(name);
        return config.services().get(name);
    }

    /** Loads a wrong file and checks that it fails with a ConfigException naming the file, then returns it. */
    private ConfigException loadWrong(String yaml) {
        write(yaml);
        ConfigSource source = source(farmYaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, source::load);
        assertThat(e).as("what load() threw for a wrong file").isNotNull();
        assertThat(e.getMessage()).as("the message").contains(farmYaml.toString());
        assertThat(e.problems()).as("the problems").isNotEmpty();
        return e;
    }

    private static void assertNamesKey(ConfigException e, String key) {
        assertThat(e.getMessage()).as("the message").contains(key);
        assertThat(e.problems())
                .extracting(p -> p.path())
                .as("the problems' key paths")
                .contains(key);
    }

    // --------------------------------------------------------------------------------------------------- tests

    /** Checks that every service of the file is loaded, in file order, with the project's name and folder. */
    @Test
    public void loadsEveryServiceInFileOrder() {
        FarmConfig config = loadCanonical();

        assertThat(config.name()).isEqualTo("shop");
        assertThat(config.services().keySet()).containsExactly("db", "api", "worker", "migrate");
        config.services().forEach((name, service) -> assertThat(service.name()).isEqualTo(name));
        assertThat(config.directory()).isEqualTo(farmYaml.getParent().normalize());
        assertThat(config.source().toAbsolutePath().normalize()).isEqualTo(farmYaml.normalize());
    }

    /** Checks that a list command is an argument vector and a string command a shell script, as written. */
    @Test
    public void loadsCommandsInTheFormTheyWereWritten() {
        FarmConfig config = loadCanonical();

        assertThat(service(config, "db").command()).contains(new Command.Exec(List.of("java", "Db.java")));
        assertThat(service(config, "api").command()).contains(new Command.Shell("java Api.java --port 8000"));
        assertThat(service(config, "worker").command())
                .contains(new Command.Exec(List.of("java", "Worker.java", "--queue", "jobs")));
        assertThat(service(config, "migrate").command()).contains(new Command.Shell("java Migrate.java up"));
    }

    /** Checks that {@code depends_on} gives each dependency its condition, in file order, log patterns included. */
    @Test
    public void loadsDependsOnWithEveryCondition() {
        FarmConfig config = loadCanonical();

        assertThat(service(config, "db").dependsOn()).isEmpty();
        assertThat(service(config, "api").dependsOn())
                .containsExactly(Map.entry("db", Dependency.on(DependencyCondition.READY)));
        assertThat(service(config, "worker").dependsOn())
                .containsExactly(
                        Map.entry("api", Dependency.on(DependencyCondition.STARTED)),
                        Map.entry("migrate", Dependency.on(DependencyCondition.SUCCEEDED)),
                        Map.entry("db", new Dependency(DependencyCondition.LOG, Optional.of("accepting connections"))));
        assertThat(service(config, "migrate").dependsOn()).isEmpty();
    }

    /** Checks that fixed ports are loaded, and that services without one have none. */
    @Test
    public void loadsPortsAndEnvironment() {
        FarmConfig config = loadCanonical();

        assertThat(service(config, "db").port()).hasValue(5432);
        assertThat(service(config, "api").port()).hasValue(8000);
        assertThat(service(config, "worker").port()).isEmpty();
        assertThat(service(config, "migrate").port()).isEmpty();
        assertThat(service(config, "api").autoPort()).isFalse();
        assertThat(service(config, "api").environment().values()).containsEntry("LOG_LEVEL", "debug");
    }

    /** Checks the readiness probes: tcp with its timeout, http on the service's port, log, and none. */
    @Test
    public void loadsReadinessProbes() {
        FarmConfig config = loadCanonical();

        ProbeConfig db = service(config, "db").ready().orElseThrow();
        assertThat(db.check()).isEqualTo(new ProbeConfig.Tcp(5432));
        assertThat(db.timeout()).isEqualTo(Duration.ofSeconds(20));

        ProbeConfig api = service(config, "api").ready().orElseThrow();
        assertThat(api.check())
                .isEqualTo(new ProbeConfig.Http(URI.create("http://localhost:8000/health"), "GET", List.of()));
        assertThat(api.timeout()).isEqualTo(ProbeConfig.DEFAULT_TIMEOUT);

        ProbeConfig worker = service(config, "worker").ready().orElseThrow();
        assertThat(worker.check()).isEqualTo(new ProbeConfig.LogLine("worker up"));
        assertThat(worker.timeout()).isEqualTo(Duration.ofSeconds(90));

        assertThat(service(config, "migrate").ready()).isEmpty();
    }

    /** Checks that the same source, loaded again after the file changed, returns the new content. */
    @Test
    public void loadsTheNewContentAfterTheFileChanged() {
        write(FARM_YAML);
        ConfigSource source = source(farmYaml);
        FarmConfig before = source.load();
        assertThat(before.services()).containsKey("migrate");

        write("""
                name: shop-v2
                services:
                  db:
                    command: [java, Db.java]
                    port: 5433
                  api:
                    command: java Api.java --port 8001
                    port: 8001
                    depends_on: { db: started }
                  web:
                    command: [npm, run, dev]
                    depends_on: { api: ready }
                """);
        FarmConfig after = source.load();

        assertThat(after.name()).isEqualTo("shop-v2");
        assertThat(after.services().keySet()).containsExactly("db", "api", "web");
        assertThat(service(after, "db").port()).hasValue(5433);
        assertThat(service(after, "db").ready()).isEmpty();
        assertThat(service(after, "api").command()).contains(new Command.Shell("java Api.java --port 8001"));
        assertThat(service(after, "api").dependsOn())
                .containsExactly(Map.entry("db", Dependency.on(DependencyCondition.STARTED)));
        assertThat(service(after, "web").dependsOn())
                .containsExactly(Map.entry("api", Dependency.on(DependencyCondition.READY)));
    }

    /** Checks that a value of the wrong type is a ConfigException naming the file and the key. */
    @Test
    public void aWrongValueIsAConfigExceptionNamingTheFileAndTheKey() {
        ConfigException e = loadWrong(FARM_YAML.replace("port: 8000", "port: 80a"));

        assertNamesKey(e, "services.api.port");
        assertThat(e.getMessage()).contains("80a");
    }

    /** Checks that a misspelt key is a ConfigException naming the file and the key. */
    @Test
    public void anUnknownKeyIsAConfigExceptionNamingTheFileAndTheKey() {
        ConfigException e =
                loadWrong(FARM_YAML.replace("command: java Migrate.java up", "comand: java Migrate.java up"));

        assertNamesKey(e, "services.migrate.comand");
    }

    /** Checks that a dependency on a service the file does not declare is a ConfigException naming the key. */
    @Test
    public void aDependencyOnAnUndeclaredServiceIsAConfigException() {
        ConfigException e = loadWrong(FARM_YAML.replace("depends_on: { db: ready }", "depends_on: { dbb: ready }"));

        assertNamesKey(e, "services.api.depends_on.dbb");
    }

    /** Checks that dependencies forming a cycle are a ConfigException naming a dependency of the cycle. */
    @Test
    public void aDependencyCycleIsAConfigException() {
        ConfigException e = loadWrong("""
                services:
                  db: { command: run, depends_on: { migrate: succeeded } }
                  api: { command: run, depends_on: { db: ready } }
                  migrate: { command: run, depends_on: { api: started } }
                """);

        assertThat(e.problems())
                .extracting(p -> p.path())
                .as("the problems' key paths")
                .anyMatch(path -> path.startsWith("services.") && path.contains(".depends_on."));
        assertThat(e.getMessage())
                .as("the message names the services of the cycle")
                .contains("db", "api", "migrate");
    }

    /** Checks that a file that is not valid YAML is a ConfigException naming the file and the line. */
    @Test
    public void invalidYamlIsAConfigExceptionNamingTheFileAndTheLine() {
        ConfigException e = loadWrong("services:\n  api:\n    command: run\n   port: 8000\n");

        assertThat(e.problems())
                .first()
                .satisfies(problem ->
                        assertThat(problem.line()).as("the line of %s", problem).isPositive());
    }

    /** Checks that a missing file is a ConfigException naming it, thrown by load() and not when the source is made. */
    @Test
    public void aMissingFileIsAConfigExceptionNamingIt() {
        ConfigSource source = source(farmYaml);

        assertThatThrownBy(source::load).isInstanceOf(ConfigException.class).hasMessageContaining(farmYaml.toString());
    }
}
