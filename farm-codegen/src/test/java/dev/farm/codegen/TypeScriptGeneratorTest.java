package dev.farm.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the generator emits for the synthetic hard cases (the corpus check compiles the same file with tsc). */
class TypeScriptGeneratorTest {

    private static final Path HARD = Path.of("src/test/resources/synthetic/hard-cases.yaml");

    private static CodegenResult generate(String yaml) {
        return TypeScriptGenerator.create(CodegenOptions.defaults())
                .generate(new OpenApiText(yaml, URI.create("file:///memory/spec.yaml"), "spec.yaml"));
    }

    private static CodegenResult hard() throws IOException {
        return generate(Files.readString(HARD));
    }

    @Test
    void objectsNullabilityEnumsAndAdditionalProperties() throws IOException {
        String ts = hard().source();
        assertThat(ts)
                .contains("    readonly id: number;\n")
                .contains("    /** The *\\/ name */\n    name: string;\n")
                .contains("    parent?: Pet | null;\n") // 3.0 nullable beside $ref
                .contains("    kind?: \"cat\" | \"dog\" | null;\n")
                .contains("    tags?: ({\n        count?: number;\n    } & { [key: string]: string });\n")
                .contains("    /** @deprecated */\n    old?: string;\n")
                .contains("export type Tuple = [string, number];\n")
                .contains("export type Json = (string | number | Json[] | { [key: string]: Json }) | null;\n");
    }

    @Test
    void readOnlyLeavesRequestBodiesAndWriteOnlyLeavesResponses() throws IOException {
        String ts = hard().source();
        String writable = ts.substring(ts.indexOf("export type PetWritable = "), ts.indexOf("export type PetReadable"));
        assertThat(writable)
                .doesNotContain(" id:")
                .contains("secret: string;")
                .contains("parent?: PetWritable | null;");
        String readable = ts.substring(ts.indexOf("export type PetReadable = "));
        assertThat(readable.substring(0, readable.indexOf("};")))
                .contains("id: number")
                .doesNotContain("secret");
        assertThat(ts).contains("\"application/json\": PetWritable;").contains("\"application/json\": PetReadable;");
    }

    @Test
    void discriminatorsNarrowTheUnionToLiteralTags() throws IOException {
        assertThat(hard().source())
                .contains("export type Shape = ({ kind: \"circle\" } & Circle) | ({ kind: \"square\" } & Square);");
    }

    @Test
    void namesThatAreNotIdentifiersOrShadowGlobalsAreRespeltWithoutCollisions() throws IOException {
        String ts = hard().source();
        assertThat(ts)
                .contains("export type AB = {") // a~b
                .contains("export type AB2 = AB[];") // a/b
                .contains("export type FooBar2 = \"a\";") // foo-bar: FooBar is taken by the schema of that name
                .contains("export type foo_bar = \"b\";")
                .contains("export type FooBar = \"c\";")
                .contains("export type Response2 = {") // the fetch client returns the global Response
                .contains("export type Blob2 = string;")
                .contains("export type Default = boolean;")
                .contains("    \"a~b\": AB;\n    \"a/b\": AB2;\n")
                .contains("export async function delete_(") // operationId: delete
                .contains("export async function getPet("); // operationId: get-pet
    }

    @Test
    void jsonPointerEscapesResolve() throws IOException {
        // delete_'s only query parameter is "#/paths/~1pets~1{id}/get/parameters/1", the tags array.
        String ts = hard().source();
        String delete = ts.substring(ts.indexOf("    delete_: {"));
        assertThat(delete.substring(0, delete.indexOf("requestBody"))).contains("tags?: string[];");
        assertThat(ts).contains("meta?: AB;"); // #/components/schemas/a~0b
    }

    @Test
    void unguardedCyclesBecomeUnknownWithAWarningAndGuardedRecursionStays() throws IOException {
        CodegenResult result = hard();
        assertThat(result.source())
                .contains("export type Cycle2 = unknown;")
                .contains("export type Self = unknown | number;")
                .contains("children?: Tree[];")
                .contains("byName?: { [key: string]: Tree };");
        assertThat(result.warnings()).anySatisfy(w -> {
            assertThat(w.pointer()).isEqualTo("/components/schemas/Self/oneOf/0");
            assertThat(w.message()).contains("TS2456");
        });
    }

    @Test
    void clientSerialisesQueryStylesAndTypesResultsByStatus() throws IOException {
        String ts = hard().source();
        assertThat(ts)
                .contains("{ \"filter\": \"deepObject\", \"ids\": \"form,\" }")
                .contains("| { status: $2XX; data: string; response: Response }")
                .contains("| { status: 404; data: undefined; response: Response }")
                .contains("| { status: number; data: Operations[\"getPet\"][\"responses\"][\"default\"]")
                .contains("| { contentType: \"multipart/form-data\"; body: ")
                .contains("file: Blob;");
        String typesOnly = TypeScriptGenerator.create(CodegenOptions.typesOnlyOptions())
                .generate(new OpenApiText(Files.readString(HARD), HARD.toUri(), "hard-cases.yaml"))
                .source();
        assertThat(typesOnly)
                .contains("export interface Operations {")
                .doesNotContain("export async function")
                .doesNotContain("$client");
    }

    @Test
    void undeclaredPathParametersAreTypedAndWarned() {
        CodegenResult result = generate("""
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths:
                  /api/v{version}/items:
                    get:
                      responses: {"200": {description: ok}}
                """);
        assertThat(result.source())
                .contains("version: string | number;")
                .contains("export async function getApiVByVersionItems(");
        assertThat(result.warnings())
                .singleElement()
                .satisfies(w -> assertThat(w.pointer()).isEqualTo("/paths/~1api~1v{version}~1items/get"));
    }

    @Test
    void danglingReferencesFailWithTheirPointer() {
        assertThatThrownBy(() -> generate("""
                        openapi: 3.1.0
                        info: {title: t, version: "1"}
                        paths: {}
                        components:
                          schemas:
                            A: {type: object, properties: {b: {$ref: "#/components/schemas/a~1b"}}}
                        """)).isInstanceOfSatisfying(CodegenException.class, e -> {
            assertThat(e.diagnostic().pointer()).isEqualTo("/components/schemas/A/properties/b/$ref");
            assertThat(e.diagnostic().message())
                    .contains("points at nothing")
                    .contains("has no /components/schemas/a~1b");
        });
    }

    @Test
    void sameInputSameBytes() throws IOException {
        assertThat(hard().source()).isEqualTo(hard().source());
    }
}
