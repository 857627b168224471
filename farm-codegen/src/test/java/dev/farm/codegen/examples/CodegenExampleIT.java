package dev.farm.codegen.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.codegen.Codegen;
import dev.farm.codegen.CodegenOptions;
import dev.farm.codegen.CodegenOutcome;
import dev.farm.codegen.OpenApiSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The farm-codegen README's example: generate once, regenerate with nothing to do, fail without harm. */
@Timeout(60)
class CodegenExampleIT {

    @TempDir
    Path project;

    @Test
    void generatesTypesAndAClientAndKeepsTheLastGoodOutput() throws IOException {
        Path spec = Files.copy(
                Path.of("src/test/resources/openapi-corpus/fastapi-fullstack-template.json"),
                project.resolve("openapi.json"));
        Path out = project.resolve("web/src/api/generated.ts");

        OpenApiSource source = OpenApiSource.file(spec); // or .url(URI, timeout), .command(argv, dir, timeout)
        CodegenOutcome first = Codegen.run(source, out, CodegenOptions.defaults());
        assertThat(first.status()).isEqualTo(CodegenOutcome.Status.CHANGED);
        assertThat(Files.readString(out)).contains("export type UserCreate = {", "export async function ");

        CodegenOutcome again = Codegen.run(source, out, CodegenOptions.defaults());
        assertThat(again.status()).isEqualTo(CodegenOutcome.Status.UNCHANGED); // file, mtime and inode untouched

        Files.writeString(spec, "<html>502 Bad Gateway</html>");
        CodegenOutcome failed = Codegen.run(source, out, CodegenOptions.defaults());
        assertThat(failed.status()).isEqualTo(CodegenOutcome.Status.FAILED); // generated.ts keeps its last good content
        assertThat(failed.failure().orElseThrow().message())
                .startsWith("got HTML or XML instead of an OpenAPI document");
    }
}
