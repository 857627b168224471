package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DevServer with codegen jobs: a backend (a real process serving a real file over HTTP) gives the OpenAPI document,
 * farm writes the TypeScript once it is ready, and again when the job's inputs change.
 */
@Timeout(120)
class DevServerCodegenIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JOB_LINE = "codegen api-types: ";

    @TempDir
    Path dir;

    private StackUnderTest stack;
    private DevServer server;
    private Path spec;
    private Path model;
    private Path generated;

    @BeforeEach
    void project() throws IOException {
        spec = Files.createDirectories(dir.resolve("api")).resolve("openapi.json");
        Files.writeString(spec, spec("name"));
        model = Files.createDirectories(dir.resolve("api/models")).resolve("user.py");
        Files.writeString(model, "class User: name: str\n");
        generated = dir.resolve("web/src/api/generated.ts");
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** An OpenAPI 3.0 document whose {@code User} has the given string properties. */
    private static String spec(String... properties) {
        String props = List.of(properties).stream()
                .map(p -> "\"" + p + "\": {\"type\": \"string\"}")
                .collect(Collectors.joining(", "));
        return """
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                 "paths": {"/users": {"get": {"operationId": "listUsers", "responses": {"200": {
                   "description": "ok", "content": {"application/json": {"schema": {
                     "type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}}}},
                 "components": {"schemas": {"User": {"type": "object", "required": ["name"],
                   "properties": {%s}}}}}
                """.formatted(props);
    }

    private String api(boolean snapshot, String watch) {
        return """
                  api:
                    command: %s
                    port: auto
                    ready: { http: /openapi.json }
                %s""".formatted(yaml(OpenApiFileServer.command("${port}", spec, snapshot)), watch);
    }

    private static String yaml(List<String> argv) {
        return argv.stream()
                .map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static final String JOB = """
            codegen:
              api-types:
                from: { service: api, path: /openapi.json }
                out: web/src/api/generated.ts
                on: ["api/models/**/*.py"]
            """;

    private StackUnderTest stack() {
        if (stack == null) {
            stack = new StackUnderTest(dir);
        }
        return stack;
    }

    private void start(String farmYaml) throws IOException {
        server = stack().start(farmYaml);
    }

    private String printed() {
        return stack().printed();
    }

    private List<String> jobLines() {
        return printed().lines().filter(l -> l.contains(JOB_LINE)).collect(Collectors.toList());
    }

    private long count(String text) {
        return jobLines().stream().filter(l -> l.contains(text)).count();
    }

    /** Saves a file the way editors do: write a temporary file, then rename it over the original. */
    private static void atomicSave(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp~");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void startWithTypes(String farmYaml) throws IOException {
        start(farmYaml);
        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 1);
        assertThat(generated).content().contains("export type User = {", "name: string");
    }

    @Test
    void theJobRunsOnceTheServiceIsReadyAndAgainWhenTheSpecAndAnOnFileChange() throws IOException {
        startWithTypes("services:\n" + api(false, "") + JOB);
        assertThat(generated).content().doesNotContain("email");

        Files.writeString(spec, spec("name", "email"));
        atomicSave(model, "class User: name: str; email: str\n");

        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);
        assertThat(generated).content().contains("email?: string");
        assertThat(printed()).contains("codegen api-types: user.py changed");
        assertThat(jobLines()).noneMatch(l -> l.contains("failed") || l.contains("unchanged"));
    }

    @Test
    void anUnchangedSpecLeavesTheOutputAndItsModificationTimeAlone() throws IOException {
        startWithTypes("services:\n" + api(false, "") + JOB);
        FileTime before = FileTime.fromMillis(0);
        Files.setLastModifiedTime(generated, before); // any write would move it
        byte[] bytes = Files.readAllBytes(generated);

        atomicSave(model, "class User: name: str  # a comment\n");

        await().atMost(WAIT).until(() -> count("unchanged web/src/api/generated.ts in ") == 1);
        assertThat(Files.getLastModifiedTime(generated)).isEqualTo(before);
        assertThat(generated).hasBinaryContent(bytes);
    }

    @Test
    void aBrokenSpecKeepsTheLastGoodOutputByteForByteAndSaysWhy() throws IOException {
        startWithTypes("services:\n" + api(false, "") + JOB);
        byte[] good = Files.readAllBytes(generated);
        FileTime modified = Files.getLastModifiedTime(generated);

        Files.writeString(spec, "{\"openapi\": \"3.0.3\", \"paths\": {"); // cut short, as by a crashing backend
        atomicSave(model, "class User: name: str; broken\n");

        await().atMost(WAIT).until(() -> count("failed: ") == 1);
        assertThat(jobLines()).anyMatch(l -> l.contains("failed: ") && l.endsWith("; kept the last good output"));
        assertThat(generated).hasBinaryContent(good);
        assertThat(Files.getLastModifiedTime(generated)).isEqualTo(modified);
        assertThat(server.state("api")).as("the stack runs on").isEqualTo(dev.farm.process.ServiceState.READY);

        Files.writeString(spec, spec("name", "email")); // fixed: the next change generates again
        atomicSave(model, "class User: name: str; email: str\n");

        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);
        assertThat(generated).content().contains("email?: string");
    }

    @Test
    void aCodegenWatchActionRunsTheJob() throws IOException {
        Path trigger = dir.resolve("api/trigger.txt");
        Files.writeString(trigger, "0\n");
        startWithTypes("services:\n"
                + api(false, "    watch: [ { paths: [\"api/trigger.txt\"], do: { codegen: api-types } } ]\n")
                + JOB.replace("    on: [\"api/models/**/*.py\"]\n", ""));

        Files.writeString(spec, spec("name", "email"));
        atomicSave(trigger, "1\n");

        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);
        assertThat(generated).content().contains("email?: string");
        assertThat(printed()).contains("api: trigger.txt changed");
    }

    @Test
    void aChangeThatRestartsTheBackendIsGeneratedFromTheRestartedBackend() throws IOException {
        // The backend serves the document it read at startup, so only its next incarnation serves the new one; the
        // same edit restarts it and reruns the job, which must wait for the restart instead of reading the old one.
        startWithTypes(
                "services:\n" + api(true, "    watch: [ { paths: [\"api/models/**/*.py\"], do: restart } ]\n") + JOB);

        Files.writeString(spec, spec("name", "email"));
        atomicSave(model, "class User: name: str; email: str\n");

        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);
        assertThat(generated).content().contains("email?: string");
        assertThat(server.status("api").incarnation()).isEqualTo(2);
        assertThat(jobLines()).noneMatch(l -> l.contains("failed") || l.contains("unchanged"));
    }

    @Test
    void writingTheOutputTriggersNoWatchRuleThatCoversIt() throws IOException {
        Files.createDirectories(generated.getParent());
        startWithTypes("services:\n" + api(false, "")
                + """
                  web:
                    command: %s
                    watch: [ { paths: ["web/src/**"], do: restart } ]
                """.formatted(yaml(FixtureProcess.builder().command())) + JOB);

        Files.writeString(spec, spec("name", "email"));
        atomicSave(model, "class User: name: str; email: str\n");
        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);

        // A change of the user's own after farm's write shows that the watcher was looking all along.
        Files.writeString(dir.resolve("web/src/main.ts"), "console.log(1)\n");

        await().atMost(WAIT).until(() -> server.status("web").incarnation() == 2);
        List<String> webChanges = printed()
                .lines()
                .filter(l -> l.contains("web: ") && l.endsWith(" changed"))
                .collect(Collectors.toList());
        assertThat(webChanges).singleElement().asString().endsWith("web: main.ts changed");
    }

    @Test
    void aFileSourceRunsAtStartupAndWhenTheFileChanges() throws IOException {
        start("""
                services:
                  web:
                    command: %s
                codegen:
                  api-types:
                    from: { file: api/openapi.json }
                    out: web/src/api/generated.ts
                    on: ["api/openapi.json"]
                    client: false
                """.formatted(yaml(FixtureProcess.builder().command())));
        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 1);
        assertThat(generated).content().contains("export type User = {").doesNotContain("export async function");

        atomicSave(spec, spec("name", "email"));

        await().atMost(WAIT).until(() -> count("changed web/src/api/generated.ts in ") == 2);
        assertThat(generated).content().contains("email?: string");
    }
}
