package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Evaluates real FARM config files with the machine's {@code node}. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FarmJsFormatIT {

    @TempDir
    Path dir;

    private final FarmJsFormat format = new FarmJsFormat();

    @Test
    void readsAnEsModuleDefaultExport() throws IOException {
        Path file = write("farm.config.js", """
                export default {
                  name: 'esm',
                  features: ['auth', 'ai'],
                  ai: { providers: { ollama: { enabled: true, models: ['llama3.1'] } } },
                };
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "esm");
        assertThat(services(tree).keySet()).containsExactly("database", "ollama", "backend", "frontend");
        assertThat(map(services(tree).get("ollama"))).containsEntry("models", List.of("llama3.1"));
    }

    @Test
    void readsCommonJsModuleExports() throws IOException {
        Path file = write("farm.config.js", """
                const ports = { backend: 8100 };
                module.exports = { name: 'cjs', development: { ports } };
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "cjs");
        assertThat(map(services(tree).get("backend"))).containsEntry("port", 8100);
    }

    @Test
    void readsTheResultOfALocallyDefinedDefineConfig() throws IOException {
        Path file = write("farm.config.js", """
                function defineConfig(config) {
                  return { ...config, features: [...(config.features ?? []), 'ai'] };
                }
                export default defineConfig({
                  name: 'defined',
                  database: { type: 'postgresql' },
                  ai: { providers: { ollama: { enabled: true } } },
                });
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "defined");
        assertThat(map(services(tree).get("database"))).containsEntry("start", "docker compose up -d postgres");
        assertThat(services(tree)).containsKey("ollama");
    }

    @Test
    void callsAndAwaitsAnAsyncFunctionExport() throws IOException {
        Path file = write("farm.config.js", """
                export default async function config() {
                  const proxy = await new Promise((resolve) => setTimeout(() => resolve(4200), 10));
                  return { name: 'later', development: { ports: { proxy } } };
                }
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "later");
        assertThat(map(tree.get("proxy"))).containsEntry("port", 4200);
    }

    @Test
    void ignoresWhatTheFilePrints() throws IOException {
        Path file = write("farm.config.js", """
                console.log('{"name":"corrupted"}');
                process.stdout.write('x'.repeat(300000) + '\\n');
                console.error('e'.repeat(300000));
                export default { name: 'quiet' };
                console.log('after the export');
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "quiet");
    }

    @Test
    void runsTheFileInItsFolder() throws IOException {
        Files.writeString(dir.resolve("project-name.txt"), "from-cwd\n");
        Path file = write("farm.config.js", """
                import { readFileSync } from 'node:fs';
                export default { name: readFileSync('project-name.txt', 'utf8').trim() };
                """);

        assertThat(format.read(file)).containsEntry("name", "from-cwd");
    }

    @Test
    void namesTheFolderWhenTheConfigHasNoName() throws IOException {
        Path project = Files.createDirectories(dir.resolve("my-shop"));
        Path file = project.resolve("farm.config.js");
        Files.writeString(file, "export default { features: [] };\n");

        assertThat(format.read(file)).containsEntry("name", "my-shop");
    }

    @Test
    void quotesNodesErrorForASyntaxError() throws IOException {
        Path file = write("farm.config.js", """
                export default {
                  name: 'broken'
                  features: ['ai'],
                };
                """);

        ConfigProblem problem = onlyProblem(() -> format.read(file));

        assertThat(problem.file()).isEqualTo(file);
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message())
                .startsWith("Node.js could not evaluate it:\n    " + file.toAbsolutePath() + ":3\n")
                .contains("  features: ['ai'],")
                .contains("SyntaxError: Unexpected identifier")
                .contains("Fix the error; run 'node ")
                .doesNotContain("    at ")
                .doesNotContain("Node.js v");
        assertThat(problem.toString()).startsWith(file + ":3: Node.js could not evaluate it:");
    }

    @Test
    void quotesTheErrorTheFileThrows() throws IOException {
        Path file = write("farm.config.js", """
                const url = process.env.FARM_TEST_UNSET_DATABASE_URL;
                if (!url) {
                  throw new Error('FARM_TEST_UNSET_DATABASE_URL is not set');
                }
                export default { name: 'unreachable' };
                """);

        ConfigProblem problem = onlyProblem(() -> format.read(file));

        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message())
                .contains("Error: FARM_TEST_UNSET_DATABASE_URL is not set")
                .doesNotContain("node:internal");
    }

    @Test
    void quotesTheErrorAFunctionExportRejectsWith() throws IOException {
        Path file = write("farm.config.js", """
                export default async () => {
                  throw new TypeError('no config for you');
                };
                """);

        ConfigProblem problem = onlyProblem(() -> format.read(file));

        assertThat(problem.message()).contains("TypeError: no config for you").contains("farm.config.js");
    }

    @Test
    void saysToInstallPackagesWhenAnImportIsMissing() throws IOException {
        Path file = write("farm.config.js", """
                import { defineConfig } from '@farm-test-missing/core';
                export default defineConfig({});
                """);

        ConfigProblem problem = onlyProblem(() -> format.read(file));

        assertThat(problem.message())
                .startsWith("Node.js could not evaluate it:\n    Error [ERR_MODULE_NOT_FOUND]: Cannot find package"
                        + " '@farm-test-missing/core' imported from "
                        + file.toAbsolutePath().normalize() + "\n")
                .doesNotContain("node:internal")
                .endsWith("Install the project's packages (npm install in "
                        + dir.toAbsolutePath().normalize() + "), or fix the import.");
    }

    @Test
    void rejectsAnExportThatIsNotAnObject() throws IOException {
        Path number = write("farm.config.js", "export default 42;\n");
        assertThat(onlyProblem(() -> format.read(number)).message())
                .isEqualTo("its default export is a number, expected an object such as: export default { features:"
                        + " ['ai'] }. Export the FARM config object, or a function returning it.");

        Path function = write("farm.config.js", "export default () => null;\n");
        assertThat(onlyProblem(() -> format.read(function)).message())
                .startsWith("its default export is a function that returned null, expected an object");

        Path list = write("farm.config.js", "module.exports = ['ai'];\n");
        assertThat(onlyProblem(() -> format.read(list)).message())
                .startsWith("its default export is a list, expected an object");
    }

    @Test
    void rejectsAModuleThatExportsNothing() throws IOException {
        Path file = write("farm.config.js", """
                import { existsSync } from 'node:fs';
                const config = { name: existsSync('.') ? 'forgotten' : 'x' };
                """);

        assertThat(onlyProblem(() -> format.read(file)).message())
                .isEqualTo("exports nothing. Export the FARM config object: export default { ... } (or, in CommonJS,"
                        + " module.exports = { ... }).");
    }

    @Test
    void explainsAPromiseThatNeverSettles() throws IOException {
        Path file = write("farm.config.js", "export default new Promise(() => {});\n");

        assertThat(onlyProblem(() -> format.read(file)).message())
                .isEqualTo("Node.js stopped waiting for it: a Promise it awaits or exports never settles (and nothing"
                        + " else is left to run). Resolve that Promise, or export the config object directly.");
    }

    @Test
    void stopsNodeAndItsChildrenAfterTheTimeout() throws Exception {
        Path file = write("farm.config.js", """
                import { spawn } from 'node:child_process';
                import { writeFileSync } from 'node:fs';
                const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
                writeFileSync('child.pid', String(child.pid));
                export default new Promise(() => {});
                """);
        FarmJsFormat impatient = new FarmJsFormat(List.of("node"), Duration.ofSeconds(2));
        long childPid = -1;
        try {
            ConfigProblem problem = onlyProblem(() -> impatient.read(file));

            assertThat(problem.message())
                    .isEqualTo("Node.js did not finish evaluating it within 2s, so farm stopped it. Look for a Promise"
                            + " that never settles, or a server, timer or watcher the file starts; the file should"
                            + " only compute and export the config.");
            childPid = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
            ProcessHandle child = ProcessHandle.of(childPid).orElse(null);
            if (child != null) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(childPid).filter(ProcessHandle::isAlive))
                    .isEmpty();
        } finally {
            if (childPid > 0) {
                ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void readsTypeScriptWhereNodeCanAndSaysWhatToDoWhereItCannot() throws Exception {
        Path file = write("farm.config.ts", """
                interface FarmConfig {
                  name: string;
                  features: string[];
                }
                const config: FarmConfig = { name: 'typed', features: ['auth'] };
                export default config;
                """);
        String version = nodeVersion();

        if (stripsTypes(version)) {
            assertThat(format.read(file)).containsEntry("name", "typed");
        } else {
            Path folder = dir.toAbsolutePath().normalize();
            assertThat(onlyProblem(() -> format.read(file)).message())
                    .isEqualTo("Node.js " + version + " cannot strip the types of a .ts file, and the project has no"
                            + " tsx (looked for node_modules/tsx in " + folder + " and its parent folders). Install"
                            + " Node.js 22.6 or newer, which strips types; or run 'npm install --save-dev tsx' in "
                            + folder + ", and farm will run the file with 'node --import tsx'; or rename it"
                            + " farm.config.js and remove the TypeScript syntax; or write farm.yaml (see"
                            + " docs/config.md).");
        }
    }

    /**
     * Installs the real tsx with npm (from npm's cache when it has it, else from the registry; about two seconds), in
     * the folder above the config file, and reads TypeScript with an enum, which tsx compiles. Where npm or the registry
     * is unavailable, or node strips types itself, the test is skipped, not failed.
     */
    @Test
    void readsTypeScriptWithTheProjectsTsx() throws Exception {
        Assumptions.assumeFalse(
                stripsTypes(nodeVersion()), "this node strips types itself; farm uses tsx only where node cannot");
        Files.writeString(dir.resolve("package.json"), "{ \"name\": \"tsx-project\", \"private\": true }\n");
        installTsx();
        Path app = Files.createDirectories(dir.resolve("app"));
        Path file = Files.writeString(app.resolve("farm.config.ts"), """
                enum Feature { Auth = 'auth', Ai = 'ai' }
                const config: { name: string; features: Feature[] } = { name: 'with-tsx', features: [Feature.Auth] };
                export default config;
                """);

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "with-tsx");
        assertThat(services(tree)).containsKey("backend");
    }

    @Test
    void saysToInstallNodeWhenItIsMissing() throws IOException {
        Path file = write("farm.config.js", "export default {};\n");
        FarmJsFormat withoutNode = new FarmJsFormat(List.of("farm-test-no-such-node"), Duration.ofSeconds(15));

        assertThatThrownBy(() -> withoutNode.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": Node.js is needed to read this file, and farm-test-no-such-node was not found on"
                        + " PATH. Install Node.js 18 or newer, or write farm.yaml (see docs/config.md).");
    }

    @Test
    void saysWhenTheNodeCommandIsNotNode() throws IOException {
        Path file = write("farm.config.js", "export default {};\n");
        String java = ProcessHandle.current().info().command().orElseThrow();
        FarmJsFormat notNode = new FarmJsFormat(List.of(java, "-version"), Duration.ofSeconds(30));

        assertThat(onlyProblem(() -> notNode.read(file)).message())
                .startsWith("Node.js is needed to read this file, and " + java + " -version did not answer like"
                        + " Node.js (exit code 0). Install Node.js 18 or newer, or write farm.yaml (see"
                        + " docs/config.md). It printed:\n    ");
    }

    @Test
    void saysWhereItLookedForAMissingFile() {
        Path file = dir.resolve("farm.config.js");

        assertThat(onlyProblem(() -> format.read(file)).message())
                .isEqualTo("file not found (looked in " + dir.toAbsolutePath().normalize()
                        + "). Check the path given with -f or -C.");
    }

    @Test
    void readsTheSampleFarmProject() throws URISyntaxException {
        URL sample = Objects.requireNonNull(getClass().getResource("/projects/farmjs/farm.config.js"));
        Path file = Path.of(sample.toURI());

        Map<String, Object> tree = format.read(file);

        assertThat(tree).containsEntry("name", "farmjs-sample");
        assertThat(services(tree).keySet()).containsExactly("database", "ollama", "backend", "frontend");
        assertThat(map(services(tree).get("database"))).containsEntry("start", "docker compose up -d postgres");
        assertThat(map(services(tree).get("ollama")))
                .containsEntry("models", List.of("llama3.1", "codestral", "nomic-embed-text"));
        assertThat(map(tree.get("proxy"))).containsEntry("port", 4100);
        assertThat(file.resolveSibling("apps/api")).isDirectory();
        assertThat(file.resolveSibling("apps/web")).isDirectory();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static ConfigProblem onlyProblem(Runnable read) {
        try {
            read.run();
        } catch (ConfigException e) {
            assertThat(e.problems()).hasSize(1);
            assertThat(e.getStackTrace()).isNotEmpty();
            return e.problems().get(0);
        }
        throw new AssertionError("expected a ConfigException");
    }

    private void installTsx() throws IOException, InterruptedException {
        Process npm;
        try {
            npm = new ProcessBuilder(
                            "npm", "install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", "tsx@4")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("npm.log").toFile())
                    .start();
        } catch (IOException e) {
            Assumptions.abort("npm cannot be run (" + e.getMessage() + "), so tsx cannot be installed");
            return;
        }
        npm.getOutputStream().close();
        if (!npm.waitFor(90, TimeUnit.SECONDS)) {
            npm.descendants().forEach(ProcessHandle::destroyForcibly);
            npm.destroyForcibly();
            Assumptions.abort("npm install tsx took more than 90s");
        }
        Assumptions.assumeTrue(
                npm.exitValue() == 0 && Files.isRegularFile(dir.resolve("node_modules/tsx/package.json")),
                () -> "npm install tsx failed (exit code " + npm.exitValue() + "): " + npmLog());
    }

    private String npmLog() {
        try {
            return Files.readString(dir.resolve("npm.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String nodeVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    /** Node.js strips TypeScript types from 22.6 on (behind a flag until 23.6). */
    private static boolean stripsTypes(String version) {
        String[] parts = version.replaceFirst("^v", "").split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major > 22 || (major == 22 && minor >= 6);
    }

    private static Map<String, Object> services(Map<String, Object> tree) {
        return map(tree.get("services"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
