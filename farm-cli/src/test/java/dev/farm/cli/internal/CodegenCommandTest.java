package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm codegen} in-process, on files under a temporary folder. */
class CodegenCommandTest {

    static final String SPEC = """
            openapi: 3.1.0
            info: {title: pets, version: "1"}
            paths:
              /pets/{id}:
                get:
                  operationId: getPet
                  parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                  responses:
                    "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
            components:
              schemas:
                Pet: {type: object, required: [id], properties: {id: {type: integer}, name: {type: string}}}
            """;

    @TempDir
    Path dir;

    final CliRunner cli = new CliRunner();

    @Test
    void oneOffSpecWritesOnceThenKeepsTheFile() throws IOException {
        Files.writeString(dir.resolve("openapi.yaml"), SPEC);

        assertThat(cli.run("-C", dir.toString(), "codegen", "--spec", "openapi.yaml", "--out", "web/api.ts"))
                .isZero();
        assertThat(cli.out.toString()).contains("codegen: wrote ");
        assertThat(Files.readString(dir.resolve("web/api.ts")))
                .contains("export type Pet = {")
                .contains("export async function getPet(");

        assertThat(cli.run(
                        "-C",
                        dir.toString(),
                        "codegen",
                        "--spec",
                        "openapi.yaml",
                        "--out",
                        "web/api.ts",
                        "--types-only"))
                .isZero();
        assertThat(Files.readString(dir.resolve("web/api.ts"))).doesNotContain("export async function");
        assertThat(cli.run(
                        "-C",
                        dir.toString(),
                        "codegen",
                        "--spec",
                        "openapi.yaml",
                        "--out",
                        "web/api.ts",
                        "--types-only"))
                .isZero();
        assertThat(cli.out.toString()).contains("is up to date");
    }

    @Test
    void aBadSpecExitsOneAndKeepsTheOutput() throws IOException {
        Files.writeString(dir.resolve("openapi.yaml"), SPEC);
        assertThat(cli.run("-C", dir.toString(), "codegen", "--spec", "openapi.yaml", "--out", "api.ts"))
                .isZero();
        String good = Files.readString(dir.resolve("api.ts"));
        Files.writeString(
                dir.resolve("openapi.yaml"), SPEC.replace("#/components/schemas/Pet", "#/components/schemas/Pat"));

        assertThat(cli.run("-C", dir.toString(), "codegen", "--spec", "openapi.yaml", "--out", "api.ts"))
                .isEqualTo(1);
        assertThat(cli.err.toString())
                .contains("farm: codegen failed after")
                .contains("#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/$ref")
                .contains("points at nothing")
                .doesNotContain("Exception");
        assertThat(Files.readString(dir.resolve("api.ts"))).isEqualTo(good);
    }

    @Test
    void specWithoutOutIsAUsageError() {
        assertThat(cli.run("-C", dir.toString(), "codegen", "--spec", "openapi.yaml"))
                .isEqualTo(2);
        assertThat(cli.err.toString()).contains("--spec needs --out FILE");
    }

    @Test
    void configuredJobsRunByName() throws IOException {
        Files.writeString(dir.resolve("openapi.yaml"), SPEC);
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api: {command: "python3 -m http.server ${port}", port: auto}
                codegen:
                  from-file:
                    from: {file: openapi.yaml}
                    out: web/src/api.ts
                  from-api:
                    from: {service: api, path: /openapi.json}
                    out: web/src/live.ts
                """);

        assertThat(cli.run("-C", dir.toString(), "codegen", "from-file"))
                .as(cli.err::toString)
                .isZero();
        assertThat(dir.resolve("web/src/api.ts")).exists();

        assertThat(cli.run("-C", dir.toString(), "codegen", "from-api")).isEqualTo(1);
        assertThat(cli.err.toString()).contains("which only farm dev runs").contains("--spec http://127.0.0.1:PORT");
        assertThat(dir.resolve("web/src/live.ts")).doesNotExist();

        assertThat(cli.run("-C", dir.toString(), "codegen", "nope")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("no codegen job 'nope'").contains("from-file, from-api");
    }
}
