package dev.farm.watch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The farm-watch README's example: restart an API, regenerate a client, and never react to farm's own output. */
@Timeout(60)
class WatchExampleIT {

    @TempDir
    Path project;

    @Test
    void restartsTheApiAndRegeneratesTheClient() {
        write(project.resolve("openapi.json"), "{}");
        Path client = project.resolve("web/src/api.ts");
        List<String> actions = new CopyOnWriteArrayList<>();

        try (ChangeWatcher watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("api", project, List.of("apps/api/**/*.py"), List.of("tests/")))
                .rule(new WatchRule("codegen", project, List.of("openapi.json"), List.of()))
                .rule(new WatchRule("web", project, List.of("web/src/**/*.{ts,tsx}"), List.of()))
                .build()) {
            watcher.start(batch -> {
                if (batch.rule().equals("codegen")) {
                    write(client, "export const version = 2;\n"); // farm's own output:
                    watcher.wrote(client); // the web rule does not count it as a change
                }
                actions.add(batch.rule() + " " + names(batch.paths()));
            });
            write(project.resolve("apps/api/models/user.py"), "class User: ...\n");
            write(project.resolve("apps/api/tests/test_user.py"), "def test(): ...\n"); // ignored by the rule
            write(project.resolve("openapi.json"), "{\"openapi\": \"3.1.0\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> actions.size() == 2);
            write(project.resolve("web/src/App.tsx"), "export default () => null;\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> actions.size() == 3);
            assertThat(actions).containsExactlyInAnyOrder("api user.py", "codegen openapi.json", "web App.tsx");
        }
    }

    private static String names(Set<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(","));
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
