package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/config.md is the user's reference: every key the reader accepts has a row there, with an example. */
class ReferenceDocsTest {

    @Test
    void everyKeyTheReaderAcceptsIsDocumentedWithAnExample() throws IOException {
        String docs = Files.readString(Path.of("../docs/config.md"), StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        keys.addAll(ConfigBinder.TOP_KEYS);
        keys.addAll(ConfigBinder.SERVICE_KEYS);
        keys.addAll(ConfigBinder.PROBE_KEYS);
        keys.addAll(ConfigBinder.RESTART_KEYS);
        keys.addAll(ConfigBinder.WATCH_KEYS);
        keys.addAll(ConfigBinder.PROXY_KEYS);
        keys.addAll(ConfigBinder.CODEGEN_KEYS);
        keys.addAll(Discovery.KEYS);

        List<String> undocumented = new ArrayList<>();
        for (String key : keys) {
            boolean documented = docs.lines()
                    .anyMatch(line -> line.startsWith("| `" + key + "` |") && line.matches(".*\\| `[^|]+` \\|$"));
            if (!documented) {
                undocumented.add(key);
            }
        }
        assertThat(undocumented)
                .as("keys without a row (ending in an example) in docs/config.md")
                .isEmpty();
        for (String routeKey : ConfigBinder.ROUTE_KEYS) {
            assertThat(docs).contains("`" + routeKey + "`");
        }
        for (String fromKey : ConfigBinder.FROM_KEYS) {
            assertThat(docs).contains(fromKey + ":");
        }
    }
}
