package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of {@code examples/fullstack} in a temporary folder, so that the tests may edit its files and keep its
 * database, with ports of its own: every port {@code farm.yaml} names is replaced by a free one, so a developer's
 * {@code farm dev -C examples/fullstack} (or another engineer's tests) is never in the way.
 *
 * <p>The web app's {@code node_modules} is not installed again: {@code .ci/run} (or a developer) runs {@code npm ci
 * --prefix examples/fullstack/apps/web} once, and the copy hard-links its files, which takes well under a second
 * where a copy of its 70 MB would take several.
 */
final class FullstackProject {

    /** The repository's root: failsafe runs in farm-e2e. */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /** The example as committed. */
    static final Path EXAMPLE = REPOSITORY.resolve("examples/fullstack");

    /** The ports {@code examples/fullstack/farm.yaml} names, by service ("proxy" for the proxy). */
    static final Map<String, Integer> EXAMPLE_PORTS =
            Map.of("proxy", 4000, "db", 55432, "ollama", 11434, "api", 8000, "web", 5173);

    /** Folders never copied: what farm, Python and Vite make at run time; node_modules is linked instead. */
    private static final Set<String> SKIPPED = Set.of(".farm", "node_modules", "__pycache__", "dist");

    final Path dir;
    final Map<String, Integer> ports;
    final Duration linkTime;

    private FullstackProject(Path dir, Map<String, Integer> ports, Duration linkTime) {
        this.dir = dir;
        this.ports = Map.copyOf(ports);
        this.linkTime = linkTime;
    }

    /**
     * Checks what the stack runs, skipping (or under {@code CI=true} failing) the test with the package to install.
     */
    static void requirePrerequisites() {
        Prerequisites.program("chromium", "chromium");
        Prerequisites.program("chromedriver", "chromium-driver");
        Prerequisites.program("node", "nodejs");
        Prerequisites.program("npm", "npm");
        Prerequisites.program("/usr/bin/python3", "python3");
        // Debian's python3-uvicorn has no uvicorn command: farm.yaml runs /usr/bin/python3 -m uvicorn.
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("fastapi", "python3-fastapi");
        modules.put("psycopg2", "python3-psycopg2");
        modules.put("uvicorn", "python3-uvicorn");
        modules.put("wsproto", "python3-wsproto");
        List<String> missing = missingPythonModules(modules.keySet());
        Prerequisites.require(
                missing.isEmpty(),
                "/usr/bin/python3 cannot import " + String.join(", ", missing),
                "apt-get install "
                        + String.join(
                                " ",
                                missing.stream()
                                        .map(m -> modules.getOrDefault(m, m))
                                        .toList()));
        Optional<Path> bin = postgresBin(); // Debian keeps initdb and pg_ctl off the PATH
        Prerequisites.program(bin.map(b -> b.resolve("initdb").toString()).orElse("initdb"), "postgresql");
        Prerequisites.program(bin.map(b -> b.resolve("pg_ctl").toString()).orElse("pg_ctl"), "postgresql");
        if (isRoot()) {
            Prerequisites.program("runuser", "util-linux"); // db/pg runs PostgreSQL as the user postgres
        }
        Prerequisites.require(
                Files.isRegularFile(EXAMPLE.resolve("apps/web/node_modules/vite/package.json")),
                EXAMPLE.resolve("apps/web/node_modules") + " is missing (.ci/run installs it)",
                "npm ci --prefix examples/fullstack/apps/web");
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin}, as db/pg finds it. */
    static Optional<Path> postgresBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max((a, b) -> compareVersions(
                            a.getParent().getFileName().toString(),
                            b.getParent().getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int compareVersions(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> missingPythonModules(Iterable<String> modules) {
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/python3",
                "-c",
                "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m)"
                        + " is None))"));
        modules.forEach(command::add);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return List.of("(python3 failed: " + out + ")");
            }
            return out.isEmpty() ? List.of() : List.of(out.split(" "));
        } catch (IOException e) {
            return List.of("(python3 cannot run: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies the example into {@code parent/examples/fullstack} with free ports (the Ollama port given), node_modules
     * hard-linked.
     *
     * @param parent a fresh folder, such as a {@code @TempDir}; opened to other users, since PostgreSQL runs as the
     *     user postgres when the tests run as root
     * @param ollamaPort the port the stack's ollama service is to use (where the test's OllamaStub listens)
     */
    static FullstackProject copy(Path parent, int ollamaPort) throws IOException {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = parent.resolve("examples/fullstack"); // as in the repository: ./farm dev -C examples/fullstack
        copyTree(EXAMPLE, dir);
        long began = System.nanoTime();
        linkTree(EXAMPLE.resolve("apps/web/node_modules"), dir.resolve("apps/web/node_modules"));
        Duration linkTime = Duration.ofNanos(System.nanoTime() - began);

        Map<String, Integer> ports = new LinkedHashMap<>();
        String yaml = Files.readString(dir.resolve("farm.yaml"));
        for (Map.Entry<String, Integer> example : EXAMPLE_PORTS.entrySet()) {
            int port = example.getKey().equals("ollama") ? ollamaPort : FixtureProcess.freePort();
            String before = yaml;
            yaml = yaml.replaceAll("\\b" + example.getValue() + "\\b", Integer.toString(port));
            assertThat(yaml).as("farm.yaml names port %s", example.getValue()).isNotEqualTo(before);
            ports.put(example.getKey(), port);
        }
        Files.writeString(dir.resolve("farm.yaml"), yaml);
        return new FullstackProject(dir, ports, linkTime);
    }

    /** The base URL of the proxy. */
    String proxyUrl() {
        return "http://127.0.0.1:" + ports.get("proxy");
    }

    /** PostgreSQL's data folder, as farm.yaml's PG_HOME names it. */
    Path postgresData() {
        return dir.resolve(".farm/postgres/data");
    }

    /** PostgreSQL's own log, written by pg_ctl's -l. */
    Path postgresLog() {
        return dir.resolve(".farm/postgres/postgres.log");
    }

    /** Runs {@code db/pg psql -c SQL} on the example's database and returns its output. */
    String psql(String sql) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("db/pg", "psql", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql)
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PG_HOME", ".farm/postgres");
        builder.environment().put("PG_PORT", Integer.toString(ports.get("db")));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("psql: %s", out).isZero();
        return out;
    }

    /** Runs {@code tsc --noEmit} on the web app and returns its exit code and output. */
    Command.Result typecheck() throws IOException, InterruptedException {
        return Command.run(
                dir.resolve("apps/web"), Duration.ofMinutes(2), "node", "node_modules/typescript/bin/tsc", "--noEmit");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && SKIPPED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Makes the folders anew and hard-links the files; symbolic links (node_modules/.bin) are made anew, pointing
     * where they pointed. Vite's cache (node_modules/.vite) is left out: Vite writes it, and must not write through a
     * link into the repository's copy.
     */
    private static void linkTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals(".vite")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else {
                    try {
                        Files.createLink(target, file);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(file, target); // another file system: a copy it is
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Writes a file of the copy. */
    void write(String relative, String content) {
        try {
            Files.writeString(dir.resolve(relative), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file of the copy. */
    String read(String relative) {
        try {
            return Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
