package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    private static final String REFRESH = "mvn -pl farm-config test -Dtest=ConfigSchemaTest -Dfarm.schema.update=true";

    /**
     * Compares docs/farm.schema.json with the generated schema; with {@code -Dfarm.schema.update=true} it first
     * rewrites the file.
     */
    @Test
    void committedCopyIsTheGeneratedSchema() throws IOException {
        Path committed = RepositoryRoot.find().resolve("docs").resolve("farm.schema.json");
        String generated = ConfigSchema.json();
        if (Boolean.getBoolean("farm.schema.update")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed)
                .withFailMessage("%s is missing. Create it with: %s", committed, REFRESH)
                .isRegularFile();
        String copy = Files.readString(committed);
        assertThat(copy)
                .withFailMessage(
                        "%s differs from ConfigSchema.json(), first at line %s. If the change to the schema is"
                                + " intended, refresh the committed copy with: %s",
                        committed, firstDifference(copy, generated), REFRESH)
                .isEqualTo(generated);
    }

    @Test
    void isStablePrettyPrintedJson() {
        String json = ConfigSchema.json();
        assertThat(json)
                .isEqualTo(ConfigSchema.json())
                .startsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"$id\": ")
                .endsWith("\n}\n")
                .doesNotContain("\r", "\t", " : ");
    }

    @Test
    void describesEveryProperty() {
        List<String> undescribed = new ArrayList<>();
        walk(ConfigSchema.tree(), "#", (pointer, schema) -> {
            JsonNode properties = schema.get("properties");
            if (properties != null) {
                for (Map.Entry<String, JsonNode> property : properties.properties()) {
                    if (!property.getValue().path("description").isTextual()) {
                        undescribed.add(pointer + "/properties/" + property.getKey());
                    }
                }
            }
        });
        assertThat(undescribed).as("properties without a description").isEmpty();
    }

    @Test
    void rejectsUnknownKeysWhereverItKnowsTheKeys() {
        List<String> open = new ArrayList<>();
        walk(ConfigSchema.tree(), "#", (pointer, schema) -> {
            if (schema.has("properties") && !schema.path("additionalProperties").isBoolean()) {
                open.add(pointer);
            }
        });
        assertThat(open)
                .as("objects with properties but no additionalProperties: false")
                .isEmpty();
    }

    @Test
    void everyReferenceResolvesAndEveryDefinitionIsUsed() {
        ObjectNode tree = ConfigSchema.tree();
        Set<String> defined = new TreeSet<>();
        tree.get("$defs").properties().forEach(def -> defined.add(def.getKey()));
        Set<String> referenced = new TreeSet<>();
        walk(tree, "#", (pointer, schema) -> {
            if (schema.has("$ref")) {
                referenced.add(schema.get("$ref").asText().replaceFirst("^#/\\$defs/", ""));
            }
        });
        assertThat(referenced).as("references").isEqualTo(defined);
    }

    /** Calls {@code visitor} on every schema object in the tree, skipping {@code if} conditions. */
    private static void walk(JsonNode node, String pointer, SchemaVisitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                if (!key.equals("if") && !key.equals("enum") && !key.equals("default") && !key.equals("examples")) {
                    walk(field.getValue(), pointer + "/" + key, visitor);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static int firstDifference(String a, String b) {
        String[] left = a.split("\n", -1);
        String[] right = b.split("\n", -1);
        int i = 0;
        while (i < left.length && i < right.length && left[i].equals(right[i])) {
            i++;
        }
        return i + 1;
    }

    @FunctionalInterface
    private interface SchemaVisitor {
        void visit(String pointer, JsonNode schema);
    }
}
