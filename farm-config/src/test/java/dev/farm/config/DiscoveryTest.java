package dev.farm.config;

import static dev.farm.config.ConfigSourceTest.catchConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.internal.Loaders;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/config.md "Discover": services found by scanning folders. Loads go through {@link Loaders} with a fixed
 * answer for whether node strips types, so no test runs {@code node --version}.
 */
class DiscoveryTest {

    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(Map.of()).withPortAllocator(() -> 45000);

    static final String FARM_YAML = """
            services:
              db: { command: run-db, port: 5432 }
            discover:
              - dir: domains
                entry: [domain.ts, domain.js]
                env: { FULCRUM_DOMAIN_NAME: "${name}", FULCRUM_GRPC_SERVER: "localhost:50051" }
                heartbeat: 5s
                depends_on: { db: ready }
            """;

    @TempDir
    Path dir;

    /** A domains folder with one of each kind of discovered service, and what is not one. */
    private void writeDomains() throws IOException {
        write("farm.yaml", FARM_YAML);
        write("domains/users/fulcrum.yml", """
                name: users
                port: 7001
                env: { USERS_DB: "mongodb://127.0.0.1/users", FULCRUM_GRPC_SERVER: "localhost:50099" }
                grpc: { port: 50052 }
                version: 3
                collections: [accounts, sessions]
                """);
        write("domains/users/domain.js", "export default {};\n");
        write("domains/orders/fulcrum.yml", "name: order-service\nport: 7002\n");
        write("domains/orders/domain.ts", "export default {};\n");
        write("domains/billing/farm.service.yaml", """
                command: [java, -jar, billing.jar, "--port=${port}"]
                port: auto
                env: { CURRENCY: EUR }
                ready: { http: /health }
                restart: always
                watch: [{ paths: ["*.jar"] }]
                """);
        write("domains/payments/fulcrum.yml", "port: 7004\n");
        write("domains/payments/package.json", """
                { "name": "payments", "scripts": { "start": "node server.js", "dev": "nodemon server.js" } }
                """);
        write("domains/shared/domain.js", "export const util = 1;\n");
        write("domains/README.md", "# domains\n");
    }

    @Test
    void everyFolderWithAManifestBecomesAService() throws IOException {
        writeDomains();

        FarmConfig config = load(true);

        assertThat(config.services().keySet()).containsExactly("db", "billing", "order-service", "payments", "users");
    }

    @Test
    void aFulcrumManifestGivesNameEnvAndPortAndTheRestIsFulcrums() throws IOException {
        writeDomains();

        ServiceConfig users = load(true).services().get("users");

        Path folder = projectDir().resolve("domains/users");
        assertThat(users.command()).contains(new Command.Shell("node domain.js"));
        assertThat(users.workingDirectory()).isEqualTo(folder);
        assertThat(users.port()).hasValue(7001);
        assertThat(users.group()).contains("domains");
        assertThat(users.environment().values())
                .containsEntry("PORT", "7001")
                .containsEntry("FARM_SERVICE_NAME", "users")
                .containsEntry("FULCRUM_DOMAIN_NAME", "users")
                .containsEntry("FULCRUM_GRPC_SERVER", "localhost:50099")
                .containsEntry("USERS_DB", "mongodb://127.0.0.1/users");
        assertThat(users.alive())
                .contains(new ProbeConfig(
                        new ProbeConfig.Heartbeat(Duration.ofSeconds(5)),
                        ProbeConfig.DEFAULT_ALIVE_TIMEOUT,
                        Optional.of(Duration.ofSeconds(5)), // a missed heartbeat is noticed within one interval
                        ProbeConfig.DEFAULT_ALIVE_FAILURES));
        assertThat(users.dependsOn()).containsExactly(Map.entry("db", Dependency.on(DependencyCondition.READY)));
        assertThat(users.setup()).isEmpty();
    }

    @ParameterizedTest(name = "node strips types: {0}")
    @CsvSource({"true, node --experimental-strip-types domain.ts", "false, npx tsx domain.ts"})
    void aTypeScriptEntryRunsWithWhatNodeCanDo(boolean nodeStripsTypes, String command) throws IOException {
        writeDomains();

        ServiceConfig orders = load(nodeStripsTypes).services().get("order-service");

        assertThat(orders.command()).contains(new Command.Shell(command));
        assertThat(orders.workingDirectory()).isEqualTo(projectDir().resolve("domains/orders"));
        assertThat(orders.environment().values())
                .containsEntry("FULCRUM_DOMAIN_NAME", "order-service")
                .containsEntry("FARM_SERVICE_NAME", "order-service");
    }

    @ParameterizedTest
    @CsvSource({
        "v22.6.0, true",
        "v22.12.1, true",
        "v23.0.0, true",
        "v24.1.0, true",
        "v22.5.1, false",
        "v20.18.0, false",
        "v8.17.0, false",
        "'', false",
        "command not found, false"
    })
    void nodeStripsTypesFrom22Point6(String version, boolean expected) {
        assertThat(Loaders.supportsStripTypes(version)).isEqualTo(expected);
    }

    @Test
    void aFarmManifestHoldsAWholeService() throws IOException {
        writeDomains();

        ServiceConfig billing = load(true).services().get("billing");

        Path folder = projectDir().resolve("domains/billing");
        assertThat(billing.command())
                .contains(new Command.Exec(List.of("java", "-jar", "billing.jar", "--port=45000")));
        assertThat(billing.workingDirectory()).isEqualTo(folder);
        assertThat(billing.port()).hasValue(45000);
        assertThat(billing.autoPort()).isTrue();
        assertThat(billing.ready().orElseThrow().check())
                .isEqualTo(new ProbeConfig.Http(URI.create("http://localhost:45000/health"), "GET", List.of()));
        assertThat(billing.restart().when()).isEqualTo(RestartPolicy.When.ALWAYS);
        assertThat(billing.watch()).extracting(WatchRule::paths).containsExactly(List.of("*.jar"));
        assertThat(billing.watch().get(0).base()).isEqualTo(folder);
        assertThat(billing.environment().values())
                .containsEntry("CURRENCY", "EUR")
                .containsEntry("FULCRUM_DOMAIN_NAME", "billing");
        assertThat(billing.group()).contains("domains");
        assertThat(billing.dependsOn()).containsOnlyKeys("db");
    }

    @Test
    void aManifestsOwnAliveProbeReplacesTheRulesHeartbeat() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains, heartbeat: 5s }]\n");
        write("domains/search/farm.service.yaml", "command: run\nport: 7005\nalive: { http: /alive, every: 2s }\n");

        ServiceConfig search = load(false).services().get("search");

        assertThat(search.alive())
                .contains(new ProbeConfig(
                        new ProbeConfig.Http(URI.create("http://localhost:7005/alive"), "GET", List.of()),
                        ProbeConfig.DEFAULT_ALIVE_TIMEOUT,
                        Optional.of(Duration.ofSeconds(2)),
                        ProbeConfig.DEFAULT_ALIVE_FAILURES));
    }

    @Test
    void aPackageJsonScriptRunsAndNpmInstallsFirstWithoutNodeModules() throws IOException {
        writeDomains();

        ServiceConfig payments = load(true).services().get("payments");

        assertThat(payments.command()).contains(new Command.Shell("npm run dev"));
        assertThat(payments.setup()).contains(new Command.Exec(List.of("npm", "install")));
        assertThat(payments.port()).hasValue(7004);
    }

    @Test
    void withNodeModulesThereIsNoSetupAndStartServesWithoutDev() throws IOException {
        write("farm.yaml", "discover: [{ dir: apps }]\n");
        write("apps/shop/fulcrum.yml", "port: 7100\n");
        write("apps/shop/package.json", "{ \"scripts\": { \"start\": \"node server.js\" } }\n");
        Files.createDirectories(dir.resolve("apps/shop/node_modules"));

        FarmConfig config = load(false);

        ServiceConfig shop = config.services().get("shop");
        assertThat(config.services().keySet()).containsExactly("shop");
        assertThat(shop.command()).contains(new Command.Shell("npm run start"));
        assertThat(shop.setup()).isEmpty();
        assertThat(shop.group()).contains("apps");
        assertThat(shop.alive()).isEmpty();
        assertThat(shop.dependsOn()).isEmpty();
    }

    @Test
    void theRuleMayNameTheGroupTheManifestAndTheEntry() throws IOException {
        write("farm.yaml", """
                discover:
                  - { dir: services, manifest: service.yml, entry: [main.js], group: core }
                """);
        write("services/auth/service.yml", "command: ./auth --name ${name}\n");
        write("services/mail/service.yml", "{}\n");
        write("services/mail/main.js", "\n");
        write("services/ignored/fulcrum.yml", "name: ignored\n");
        write("services/ignored/main.js", "\n");

        FarmConfig config = load(false);

        assertThat(config.services().keySet()).containsExactly("auth", "mail");
        assertThat(config.services().get("auth").command()).contains(new Command.Shell("./auth --name auth"));
        assertThat(config.services().get("mail").command()).contains(new Command.Shell("node main.js"));
        assertThat(config.services().values())
                .allSatisfy(s -> assertThat(s.group()).contains("core"));
    }

    @Test
    void aDiscoveredNameThatADeclaredServiceHasIsAnError() throws IOException {
        Path file = write("farm.yaml", """
                services:
                  users: { command: run }
                discover: [{ dir: domains }]
                """);
        write("domains/users/fulcrum.yml", "name: users\n");
        write("domains/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/users/fulcrum.yml:1:7: discover[0]: found a service named 'users', but " + file
                        + " line 2 already has one. Rename the folder, or set another 'name' in its manifest.");
    }

    @Test
    void twoRulesFindingOneNameIsAnError() throws IOException {
        write("farm.yaml", "discover: [{ dir: a }, { dir: b }]\n");
        write("a/users/fulcrum.yml", "port: 7001\n");
        write("a/users/domain.js", "\n");
        write("b/users/fulcrum.yml", "port: 7002\n");
        write("b/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("b/users/fulcrum.yml: discover[1]: found a service named 'users', but"
                        + " a/users/fulcrum.yml already has one. Rename the folder, or set another 'name' in"
                        + " its manifest.");
    }

    @Test
    void aFolderWithNothingToRunIsAnErrorNamingTheFolder() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/empty/fulcrum.yml", "port: 7001\n");
        write("domains/empty/README.md", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/empty/fulcrum.yml: no way to run service 'empty': none of domain.ts, domain.js"
                        + " is in " + projectDir().resolve("domains/empty") + ", and it has no package.json. Add an"
                        + " entry file or a dev script, or set 'command' in the manifest.");
    }

    @Test
    void aMistakeInsideAManifestNamesTheManifest() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/billing/farm.service.yaml", "command: run\nport: eighty\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/billing/farm.service.yaml:2:7: services.billing.port: expected an integer 1-65535"
                        + " or 'auto', found \"eighty\". Fix the value, write 'auto' to let farm pick a free port, or"
                        + " remove the key.");
    }

    @Test
    void twoRulesScanningOneFolderAreReportedOnceAtTheSecond() throws IOException {
        Path file = write("farm.yaml", """
                discover:
                  - dir: domains
                  - dir: ./domains
                """);
        write("domains/users/fulcrum.yml", "port: 7001\n");
        write("domains/users/domain.js", "\n");
        write("domains/orders/fulcrum.yml", "port: 7002\n");
        write("domains/orders/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage(file + ":3:10: discover[1] scans the same folder as discover[0] (domains). Remove one of"
                        + " the two rules.");
    }

    @Test
    void aFolderNameThatCannotBeAServiceNameIsReportedOnceAtItsManifest() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/_private/fulcrum.yml", "port: 7001\n");
        write("domains/_private/domain.js", "\n");
        write("domains/users/fulcrum.yml", "port: 7002\n");
        write("domains/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/_private/fulcrum.yml: the folder name '_private' cannot be a service name: a"
                        + " service name uses letters, digits, '.', '_' and '-', and starts with a letter or digit."
                        + " Rename the folder, or set 'name' in its manifest.");
    }

    @Test
    void aManifestNameThatCannotBeAServiceNameIsReportedOnceAtTheName() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/users/fulcrum.yml", "name: user accounts\n");
        write("domains/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/users/fulcrum.yml:1:7: name: 'user accounts' cannot be a service name: a service"
                        + " name uses letters, digits, '.', '_' and '-', and starts with a letter or digit. Set"
                        + " another 'name'.");
    }

    @Test
    void aManifestNameGivesAServiceNameToAFolderThatCannotBeOne() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/_private/fulcrum.yml", "name: private\n");
        write("domains/_private/domain.js", "\n");

        assertThat(load(false).services()).containsOnlyKeys("private");
    }

    @Test
    void aRuleThatFindsNoManifestSaysWhatItLookedFor() throws IOException {
        Path file = write("farm.yaml", """
                services:
                  db: { command: run-db }
                discover: [{ dir: domains }]
                """);
        write("domains/README.md", "# domains\n");
        write("domains/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage(file + ":3:12: discover[0] found no folder under domains/ holding fulcrum.yml or"
                        + " farm.service.yaml. Add one, or fix 'dir' or 'manifest'.");
    }

    @Test
    void aRuleThatFindsNoManifestIsReportedAlsoWhenNoServiceIsDeclared() throws IOException {
        Path file = write("farm.yaml", "discover:\n  - { dir: domains, manifest: service.yml }\n");
        write("domains/users/fulcrum.yml", "port: 7001\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e.problems())
                .extracting(ConfigProblem::toString)
                .contains(file + ":2:5: discover[0] found no folder under domains/ holding service.yml. Add one, or"
                        + " fix 'dir' or 'manifest'.");
    }

    @ParameterizedTest(name = "rule {0}, manifest {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{ db: ready, cache: started } | { cache: completed, queue: started }",
                "[db, cache]                   | { cache: completed, queue: started }",
                "{ db: ready, cache: started } | [queue]",
                "[db, cache]                   | [cache, queue]",
            })
    void theRulesAndTheManifestsDependenciesAreMerged(String fromRule, String fromManifest) throws IOException {
        write("farm.yaml", """
                services:
                  db: { command: run-db }
                  cache: { command: run-cache }
                  queue: { command: run-queue }
                discover: [{ dir: domains, depends_on: %s }]
                """.formatted(fromRule));
        write("domains/users/farm.service.yaml", "command: run\ndepends_on: " + fromManifest + "\n");

        Map<String, Dependency> dependsOn = load(false).services().get("users").dependsOn();

        assertThat(dependsOn).containsOnlyKeys("db", "cache", "queue");
        assertThat(dependsOn.get("db")).isEqualTo(Dependency.on(DependencyCondition.READY));
        assertThat(dependsOn.get("queue"))
                .isEqualTo(Dependency.on(
                        fromManifest.startsWith("[") ? DependencyCondition.READY : DependencyCondition.STARTED));
        DependencyCondition cache = fromManifest.contains("cache")
                ? (fromManifest.startsWith("[") ? DependencyCondition.READY : DependencyCondition.COMPLETED)
                : (fromRule.startsWith("[") ? DependencyCondition.READY : DependencyCondition.STARTED);
        assertThat(dependsOn.get("cache")).as("the manifest's condition wins").isEqualTo(Dependency.on(cache));
    }

    @Test
    void aManifestThatIsNotAMappingSaysHowToWriteIt() throws IOException {
        write("farm.yaml", "discover: [{ dir: domains }]\n");
        write("domains/users/fulcrum.yml", "- users\n");
        write("domains/users/domain.js", "\n");

        ConfigException e = catchConfig(() -> load(false));

        assertThat(e)
                .hasMessage("domains/users/fulcrum.yml:1:1: expected a mapping, found a list. Write the manifest as a"
                        + " mapping such as name: users.");
    }

    private FarmConfig load(boolean nodeStripsTypes) {
        return Loaders.file(dir.resolve("farm.yaml"), OPTIONS, nodeStripsTypes).load();
    }

    private Path projectDir() {
        return dir.toAbsolutePath().normalize();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
