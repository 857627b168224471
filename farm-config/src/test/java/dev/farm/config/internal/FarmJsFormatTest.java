package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How node is called and how its standard error is cut down to what a user needs; no node runs here. */
class FarmJsFormatTest {

    private static final Path FILE = Path.of("/p/farm.config.js");

    private static final FarmJsFormat.NodeFeatures NODE_20 =
            new FarmJsFormat.NodeFeatures("v20.20.2", true, false, false, true);
    private static final FarmJsFormat.NodeFeatures NODE_22 =
            new FarmJsFormat.NodeFeatures("v22.12.0", true, true, false, true);
    private static final FarmJsFormat.NodeFeatures NODE_18_12 =
            new FarmJsFormat.NodeFeatures("v18.12.0", false, false, false, false);

    @TempDir
    Path dir;

    @Test
    void typeScriptRunsWithTypeStrippingWhereNodeHasIt() throws IOException {
        installFakeTsx(dir);

        assertThat(FarmJsFormat.flagsFor(dir.resolve("farm.config.ts"), NODE_22))
                .containsExactly("--experimental-detect-module", "--experimental-strip-types");
    }

    @Test
    void typeScriptRunsWithTheProjectsTsxWhereNodeCannotStripTypes() throws IOException {
        installFakeTsx(dir);
        Path nested = Files.createDirectories(dir.resolve("apps/site"));

        assertThat(FarmJsFormat.flagsFor(dir.resolve("farm.config.ts"), NODE_20))
                .containsExactly("--experimental-detect-module", "--import", "tsx");
        assertThat(FarmJsFormat.flagsFor(nested.resolve("farm.config.mts"), NODE_20))
                .as("tsx in a parent folder, as node resolves it")
                .containsExactly("--experimental-detect-module", "--import", "tsx");
    }

    @Test
    void javaScriptNeverRunsWithTsx() throws IOException {
        installFakeTsx(dir);

        assertThat(FarmJsFormat.flagsFor(dir.resolve("farm.config.js"), NODE_20))
                .containsExactly("--experimental-detect-module");
    }

    @Test
    void typeScriptWithoutTypeStrippingOrTsxSaysWhatToInstall() {
        Path file = dir.resolve("farm.config.ts");

        assertThatThrownBy(() -> FarmJsFormat.flagsFor(file, NODE_20))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": Node.js v20.20.2 cannot strip the types of a .ts file, and the project has no"
                        + " tsx (looked for node_modules/tsx in " + dir + " and its parent folders). Install Node.js"
                        + " 22.6 or newer, which strips types; or run 'npm install --save-dev tsx' in " + dir
                        + ", and farm will run the file with 'node --import tsx'; or rename it farm.config.js and"
                        + " remove the TypeScript syntax; or write farm.yaml (see docs/config.md).");
    }

    @Test
    void tsxOnANodeWithoutImportSaysWhichNodeToInstall() throws IOException {
        installFakeTsx(dir);
        Path file = dir.resolve("farm.config.ts");

        assertThatThrownBy(() -> FarmJsFormat.flagsFor(file, NODE_18_12))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": Node.js v18.12.0 cannot strip the types of a .ts file, nor load the tsx"
                        + " installed in " + dir.resolve("node_modules") + " (that needs 'node --import', Node.js"
                        + " 18.19 or 20.6 and newer). Install Node.js 22.6 or newer, or at least 20.6; or rename it"
                        + " farm.config.js and remove the TypeScript syntax; or write farm.yaml (see"
                        + " docs/config.md).");
    }

    @Test
    void keepsTheErrorHeaderAndDropsTheStackAndVersion() {
        String stderr = """
                file:///p/farm.config.js:3
                  features: ['ai'],
                  ^^^^^^^^

                SyntaxError: Unexpected identifier 'features'
                    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)
                    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:146:18)

                Node.js v20.20.2
                """;

        assertThat(FarmJsFormat.meaningfulLines(stderr, FILE))
                .containsExactly(
                        "/p/farm.config.js:3",
                        "  features: ['ai'],",
                        "  ^^^^^^^^",
                        "SyntaxError: Unexpected identifier 'features'");
    }

    @Test
    void dropsWarningsAndAHeaderInsideNodesOwnSource() {
        String stderr = """
                (node:4242) ExperimentalWarning: Type Stripping is an experimental feature
                (Use `node --trace-warnings ...` to show where the warning was created)
                node:internal/modules/esm/resolve:873
                  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);
                        ^

                Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@farm/core' imported from /p/farm.config.js
                    at packageResolve (node:internal/modules/esm/resolve:873:9) {
                  code: 'ERR_MODULE_NOT_FOUND'
                }

                Node.js v20.20.2
                """;

        assertThat(FarmJsFormat.meaningfulLines(stderr, FILE))
                .containsExactly(
                        "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@farm/core' imported from /p/farm.config.js");
    }

    @Test
    void addsTheFirstFrameInTheFileWhenNothingElseNamesIt() {
        String stderr = """
                Error: boom
                    at helper (file:///p/lib.js:2:9)
                    at config (file:///p/farm.config.js:7:3)
                    at file:///p/farm.config.js:9:1
                """;

        assertThat(FarmJsFormat.meaningfulLines(stderr, FILE))
                .containsExactly("Error: boom", "at config (/p/farm.config.js:7:3)");
    }

    @Test
    void shortensLongLinesAndLimitsTheirNumber() {
        String stderr = "x".repeat(500) + "\n" + "line\n".repeat(40);

        List<String> lines = FarmJsFormat.meaningfulLines(stderr, FILE);

        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).hasSize(203).endsWith("...");
    }

    @Test
    void rejectsAnEmptyCommandAndANonPositiveTimeout() {
        assertThatThrownBy(() -> new FarmJsFormat(List.of(), Duration.ofSeconds(1)))
                .hasMessage("node: empty (expected: a program, such as [node])");
        assertThatThrownBy(() -> new FarmJsFormat(List.of("node"), Duration.ZERO))
                .hasMessage("timeout: PT0S (expected: > 0)");
    }

    /** What marks tsx as installed: its package.json; nothing runs it here. */
    private static void installFakeTsx(Path project) throws IOException {
        Path tsx = Files.createDirectories(project.resolve("node_modules/tsx"));
        Files.writeString(tsx.resolve("package.json"), "{ \"name\": \"tsx\" }\n");
    }
}
