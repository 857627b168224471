package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.cli.internal.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests of {@code farm config show --json} for the configurations users bring: a Procfile project, a FARM
 * {@code farm.config.js} project (evaluated with the machine's node) and a Fulcrum project whose domains are
 * discovered. Run with {@code -Dfarm.golden.update=true} to rewrite the golden files after a deliberate change.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigShowGoldenIT {

    static final Path PROJECTS = Path.of("src/test/resources/projects");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"procfile", "farmjs", "fulcrum"})
    void showJsonMatchesTheGoldenFile(String project) throws IOException {
        // The FARM project is farm-config's own test project: one copy for the reader's tests and this one.
        Path base = project.equals("farmjs") ? Path.of("../farm-config/src/test/resources/projects") : PROJECTS;
        Path directory = base.resolve(project).toAbsolutePath().normalize();
        CliRunner cli = new CliRunner();

        int code = cli.run("config", "show", "--json", "-C", directory.toString());

        assertThat(cli.err.toString()).isEmpty();
        assertThat(code).isZero();
        String actual = normalize(cli.out.toString(), directory);
        Path golden = GOLDEN.resolve(project + ".json");
        if (Boolean.getBoolean("farm.golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as(
                        "farm config show --json for %s; rerun with -Dfarm.golden.update=true after a deliberate change",
                        project)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /**
     * Makes the output independent of where the repository is checked out and of whether the machine sets NO_COLOR
     * (which decides FORCE_COLOR).
     */
    private static String normalize(String json, Path directory) {
        return json.replace(directory.toString(), "<project>")
                .lines()
                .filter(line -> !line.contains("\"FORCE_COLOR\""))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
