package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated schema is valid JSON Schema, accepts every config the repository ships, and rejects mistakes. */
class ConfigSchemaValidationTest {

    private static final Path ROOT = RepositoryRoot.find();
    private static final Set<String> CONFIG_NAMES = Set.of("farm.yaml", "farm.yml", "farm.json");
    private static final Pattern MODELINE = Pattern.compile("^# yaml-language-server: \\$schema=(\\S+)$");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema SCHEMA = FACTORY.getSchema(ConfigSchema.json());

    @Test
    void schemaIsValidAgainstThe202012Metaschema() throws IOException {
        JsonSchema metaschema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));

        Set<ValidationMessage> errors = metaschema.validate(JSON.readTree(ConfigSchema.json()));

        assertThat(errors).as("the schema against the 2020-12 metaschema").isEmpty();
    }

    @Test
    void everyExampleConfigValidates() throws IOException {
        List<Path> configs = new ArrayList<>(files(ROOT.resolve("examples"), CONFIG_NAMES));
        configs.addAll(files(ROOT.resolve("farm-config/src/test/resources"), Set.of("farm.yaml")));
        configs.addAll(files(ROOT.resolve("farm-cli/src/test/resources/projects"), Set.of("farm.yaml")));
        assertThat(configs)
                .as("example configs (farm.yaml, farm.yml, farm.json) under examples/")
                .isNotEmpty();

        List<String> problems = new ArrayList<>();
        for (Path config : configs) {
            JsonNode tree = config.toString().endsWith(".json") ? JSON.readTree(config.toFile()) : read(config);
            errors(tree).forEach(error -> problems.add(ROOT.relativize(config) + ": " + error));
        }

        assertThat(problems)
                .withFailMessage(
                        "example configs that the schema rejects:%n  %s%nFix the example, or the schema"
                                + " (ConfigSchema) if docs/config.md allows what the example does.",
                        String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void everyExampleFarmYamlPointsEditorsAtTheCommittedSchema() throws IOException {
        Path schema = ROOT.resolve("docs/farm.schema.json").toRealPath();
        List<Path> yamls = new ArrayList<>(files(ROOT.resolve("examples"), Set.of("farm.yaml", "farm.yml")));
        assertThat(yamls).as("farm.yaml files under examples/").isNotEmpty();
        yamls.addAll(files(ROOT.resolve("farm-cli/src/test/resources/projects"), Set.of("farm.yaml")));

        List<String> problems = new ArrayList<>();
        for (Path yaml : yamls) {
            String first;
            try (Stream<String> lines = Files.lines(yaml, StandardCharsets.UTF_8)) {
                first = lines.findFirst().orElse("");
            }
            Matcher modeline = MODELINE.matcher(first);
            Path expected = yaml.getParent().relativize(schema);
            if (!modeline.matches()) {
                problems.add(ROOT.relativize(yaml) + ": the first line is '" + first
                        + "'; make it '# yaml-language-server:" + " $schema=" + expected + "'");
                continue;
            }
            Path target = yaml.getParent().resolve(modeline.group(1)).normalize();
            if (!Files.exists(target) || !target.toRealPath().equals(schema)) {
                problems.add(ROOT.relativize(yaml) + ": $schema=" + modeline.group(1) + " does not lead to"
                        + " docs/farm.schema.json; write $schema=" + expected);
            }
        }

        assertThat(problems).withFailMessage("%s", String.join("\n", problems)).isEmpty();
    }

    @Test
    void fullExampleIsTheOneInTheDocs() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/config.md"));
        int section = docs.indexOf("\n## A whole file\n");
        int start = docs.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = docs.indexOf("```", start);
        assertThat(section).as("the 'A whole file' section of docs/config.md").isPositive();

        assertThat(resource("schema/full.yaml"))
                .as("src/test/resources/schema/full.yaml, a copy of the example in docs/config.md (A whole file)")
                .isEqualTo(docs.substring(start, end));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSnippets")
    void accepts(String name, String yaml) {
        List<String> errors = errors(read(yaml));

        assertThat(errors)
                .withFailMessage("%s was rejected:%n  %s", name, String.join("\n  ", errors))
                .isEmpty();
    }

    /**
     * Checks that the snippet is rejected at {@code location} (or below it), by an error that mentions
     * {@code mention} (empty: any error there).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSnippets")
    void rejects(String name, String yaml, String location, String mention) {
        List<String> errors = errors(read(yaml));

        assertThat(errors)
                .withFailMessage(
                        "%s should be rejected at %s with an error mentioning '%s'; the errors were:%n  %s",
                        name, location, mention, String.join("\n  ", errors))
                .anyMatch(error -> error.contains(mention)
                        && (error.startsWith(location + ":")
                                || error.startsWith(location + ".")
                                || error.startsWith(location + "[")));
    }

    static Stream<Arguments> validSnippets() {
        return Stream.of(
                arguments("the whole file in docs/config.md", resource("schema/full.yaml")),
                arguments("an empty project (services may come from discover)", "{}"),
                arguments("a tcp probe", """
                        services:
                          db: { command: postgres, ready: { tcp: 5432 } }
                        """),
                arguments("an http probe on a path, with method, status and port", """
                        services:
                          api:
                            command: [java, Api.java]
                            ready: { http: /health, method: HEAD, status: 204, port: 9001, timeout: 30s, every: 1s }
                        """),
                arguments("an http probe on a URL with a list of statuses", """
                        services:
                          api:
                            command: java Api.java
                            ready: { http: "http://127.0.0.1:9000/health", status: [200, 301] }
                        """),
                arguments("a log probe", """
                        services:
                          api: { command: java Api.java, ready: { log: "Started .* in \\\\d+ ms" } }
                        """),
                arguments("exec probes, as a string and as a list", """
                        services:
                          db:
                            command: postgres
                            ready: { exec: pg_isready -p 5432 }
                            alive: { exec: [pg_isready, -p, 5432], failures: 5, every: 30s, timeout: 2s }
                        """),
                arguments("a heartbeat probe", """
                        services:
                          domain: { command: node domain.js, alive: { heartbeat: 5s } }
                        """),
                arguments("every form of watch 'do'", """
                        services:
                          api:
                            command: uvicorn main:app
                            watch:
                              - { paths: [.env] }
                              - { paths: [src/core/config.py], do: restart }
                              - { paths: [shared/**], ignore: ["!shared/keep"], do: cascade }
                              - { paths: [schema.sql], do: { run: psql -f schema.sql } }
                              - { paths: [gen.txt], do: { run: [make, gen] } }
                              - { paths: [src/models/**/*.py], do: { codegen: api-types } }
                              - { paths: ["src/ai/**/*.py"], do: { http: POST /api/ai/reload-models, fallback: restart } }
                              - { paths: [prompts/*.txt], do: { http: POST /reload, fallback: cascade } }
                              - { paths: [rules/*.txt], do: { http: GET /reload } }
                        """),
                arguments("every form of depends_on", """
                        services:
                          db: { command: postgres }
                          migrate: { command: make migrate, depends_on: { db: ready } }
                          seed: { command: make seed, depends_on: { migrate: succeeded, db: started } }
                          report: { command: make report, depends_on: { seed: completed } }
                          api: { command: java Api.java, depends_on: { db: { log: "ready to accept connections" } } }
                          web: { command: npm run dev, depends_on: [api, db] }
                        """),
                arguments("port: auto", """
                        services:
                          web: { command: npm run dev, port: auto }
                        proxy: { port: auto, routes: { /: web } }
                        """),
                arguments("restart: no, unquoted (YAML 1.1 reads false)", """
                        services:
                          job:
                            command: make
                            restart: no
                        """),
                arguments("restart: no, quoted, and the other policies", """
                        services:
                          a: { command: a, restart: "no" }
                          b: { command: b, restart: always }
                          c: { command: c, restart: on-failure }
                          d: { command: d, restart: { when: always, max: 0, backoff: 1s, reset_after: 5m } }
                          e: { command: e, restart: { when: no, backoff: 100ms..1m30s } }
                        """),
                arguments("interpolated numbers and durations", """
                        services:
                          api:
                            command: java Api.java
                            port: ${API_PORT:-8000}
                            ready:
                              tcp: ${API_PORT:-8000}
                              timeout: ${READY_TIMEOUT:-60s}
                            restart:
                              max: ${MAX_RESTARTS}
                        """),
                arguments("a daemon, an external service and a preset", """
                        services:
                          db:
                            kind: daemon
                            start: pg_ctl start
                            stop: pg_ctl stop -m fast
                            stop_signal: SIGINT
                            stop_timeout: 1m30s
                            success_exit_codes: [0, 143]
                            adopt: true
                          cache: { kind: external, ready: { tcp: 6379 } }
                          ollama: { preset: ollama, models: [llama3.1], group: ai }
                          api: { command: java Api.java, stop: ./stop.sh, stop_signal: KILL }
                        """),
                arguments("every form of env_file", """
                        env_file: .env
                        services:
                          a: { command: a, env_file: [.env, .env.local] }
                          b: { command: b, env_file: { path: .env.b, required: false } }
                          c: { command: c, env_file: [.env, { path: .env.c, required: true }] }
                          d: { command: d, env: { DEBUG: true, WORKERS: 2, NAME: d } }
                        """),
                arguments("every form of codegen 'from'", """
                        codegen:
                          a: { from: { service: api, path: /openapi.json }, out: web/a.ts }
                          b: { from: { file: api/openapi.yaml }, out: web/b.ts, client: false, on: ["api/**"] }
                          c: { from: { command: [python, dump.py] }, out: web/c.ts }
                        """),
                arguments("a discover rule with one manifest and a list of dependencies", """
                        discover:
                          - { dir: domains, manifest: domain.yml, group: core, depends_on: [db], heartbeat: 5s }
                        """),
                arguments("routes as names, URLs and maps", """
                        proxy:
                          port: 4000
                          hold: 5s
                          routes:
                            /: web
                            /api: { to: api, rewrite: "", websocket: false, hold: 1m }
                            /legacy: "http://127.0.0.1:9000"
                        """),
                arguments("profiles that override some keys", """
                        services:
                          api: { command: java Api.java, port: 8000 }
                        profiles:
                          dev:
                            env: { LOG_LEVEL: debug }
                            services: { api: { port: 8001 } }
                          serve:
                            services: { api: { command: java -Xmx1g Api.java, restart: always } }
                            proxy: { port: 8080 }
                        """));
    }

    static Stream<Arguments> invalidSnippets() {
        return Stream.of(
                arguments("an unknown service key (comand)", """
                        services:
                          api: { comand: java Api.java }
                        """, "$.services.api", "comand"),
                arguments("port: 70000", """
                        services:
                          api: { command: java Api.java, port: 70000 }
                        """, "$.services.api.port", "65535"),
                arguments("a port given as a plain string", """
                        services:
                          api: { command: java Api.java, port: "8000" }
                        """, "$.services.api.port", ""),
                arguments("kind: deamon", """
                        services:
                          db: { kind: deamon, start: a, stop: b }
                        """, "$.services.db.kind", ""),
                arguments("a probe with both tcp and http", """
                        services:
                          api: { command: java Api.java, ready: { tcp: 8000, http: /health } }
                        """, "$.services.api.ready", ""),
                arguments("a probe with no check", """
                        services:
                          api: { command: java Api.java, ready: { timeout: 10s } }
                        """, "$.services.api.ready", ""),
                arguments("method on a tcp probe", """
                        services:
                          api: { command: java Api.java, ready: { tcp: 8000, method: POST } }
                        """, "$.services.api.ready", "method"),
                arguments("a log probe for alive", """
                        services:
                          api: { command: java Api.java, alive: { log: ready } }
                        """, "$.services.api.alive", "log"),
                arguments("failures on a ready probe", """
                        services:
                          api: { command: java Api.java, ready: { http: /, failures: 3 } }
                        """, "$.services.api.ready", "failures"),
                arguments("stop_timeout: 10", """
                        services:
                          api: { command: java Api.java, stop_timeout: 10 }
                        """, "$.services.api.stop_timeout", ""),
                arguments("a duration with a fraction", """
                        services:
                          api: { command: java Api.java, stop_timeout: 1.5s }
                        """, "$.services.api.stop_timeout", ""),
                arguments("a route key not starting with /", """
                        proxy:
                          routes: { api: api }
                        """, "$.proxy.routes", "api"),
                arguments("a proxy without routes", """
                        proxy: { port: 4000 }
                        """, "$.proxy", "routes"),
                arguments("a route map without 'to'", """
                        proxy:
                          routes: { /api: { rewrite: /v1 } }
                        """, "$.proxy.routes./api", "to"),
                arguments("restart: { when: sometimes }", """
                        services:
                          api: { command: java Api.java, restart: { when: sometimes } }
                        """, "$.services.api.restart.when", ""),
                arguments("restart: yes", """
                        services:
                          api: { command: java Api.java, restart: yes }
                        """, "$.services.api.restart", ""),
                arguments("a process without a command", """
                        services:
                          api: { port: 8000 }
                        """, "$.services.api", "command"),
                arguments("a daemon without start and stop", """
                        services:
                          db: { kind: daemon, command: postgres }
                        """, "$.services.db", "start"),
                arguments("a service name starting with '-'", """
                        services:
                          -api: { command: java Api.java }
                        """, "$.services", "-api"),
                arguments("an unknown dependency condition", """
                        services:
                          db: { command: postgres }
                          api: { command: java Api.java, depends_on: { db: healthy } }
                        """, "$.services.api.depends_on.db", ""),
                arguments("an unknown watch action", """
                        services:
                          api: { command: java Api.java, watch: [{ paths: [src/**], do: reload }] }
                        """, "$.services.api.watch[0].do", ""),
                arguments("a watch rule without paths", """
                        services:
                          api: { command: java Api.java, watch: [{ do: restart }] }
                        """, "$.services.api.watch[0]", "paths"),
                arguments("an unknown stop signal", """
                        services:
                          api: { command: java Api.java, stop_signal: TERMINATE }
                        """, "$.services.api.stop_signal", ""),
                arguments("an exit code above 255", """
                        services:
                          api: { command: java Api.java, success_exit_codes: [0, 256] }
                        """, "$.services.api.success_exit_codes[1]", "255"),
                arguments("an unknown preset", """
                        services:
                          llm: { preset: llama }
                        """, "$.services.llm.preset", ""),
                arguments("codegen 'from' with both a file and a command", """
                        codegen:
                          types: { from: { file: a.json, command: dump }, out: a.ts }
                        """, "$.codegen.types.from", ""),
                arguments("a discover rule without dir", """
                        discover: [{ manifest: fulcrum.yml }]
                        """, "$.discover[0]", "dir"),
                arguments("an unknown key in a profile", """
                        profiles:
                          dev: { servces: {} }
                        """, "$.profiles.dev", "servces"),
                arguments("an unknown top-level key", """
                        service:
                          api: { command: java Api.java }
                        """, "$", "service"),
                arguments("a list at the top", """
                        - api
                        """, "$", ""));
    }

    private static List<String> errors(JsonNode config) {
        return SCHEMA.validate(config).stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getError())
                .sorted()
                .collect(Collectors.toList());
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode read(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a snippet as YAML:\n" + yaml, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ConfigSchemaValidationTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir, Set<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> names.contains(String.valueOf(file.getFileName())))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
