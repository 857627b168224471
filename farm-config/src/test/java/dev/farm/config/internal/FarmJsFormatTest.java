package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How node's standard error is cut down to what a user needs; no node runs here. */
class FarmJsFormatTest {

    private static final Path FILE = Path.of("/p/farm.config.js");

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
}
