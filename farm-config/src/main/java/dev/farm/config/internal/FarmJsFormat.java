package dev.farm.config.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a FARM {@code farm.config.js} or {@code farm.config.ts}: evaluates it with the machine's Node.js and expands
 * its default export with the {@link FarmPreset}.
 *
 * <p>Node.js runs {@code node --input-type=module -e SCRIPT -- FILE OUT} in the file's folder. The script imports the
 * file, takes its default export (or the CommonJS {@code module.exports}, or the module's named exports when there is
 * no default), calls it when it is a function, awaits it when it is a Promise, and writes it as JSON to the file
 * {@code OUT}, so whatever the config prints cannot corrupt it. Node's standard output is discarded and its standard
 * error goes to a file that is read only when the evaluation fails; no pipe can fill up and block the process.
 *
 * <p>What the installed Node.js supports is asked once per node command and remembered: its version, whether it
 * knows {@code --experimental-detect-module} (ES module syntax in a {@code .js} file outside a
 * {@code "type": "module"} package; Node.js 20.10+, on by default from 20.19 and 22.12) and
 * {@code --experimental-strip-types} ({@code .ts} files; Node.js 22.6+, on by default from 23.6) and {@code --import}
 * (Node.js 18.19+ and 20.6+), read from {@code process.allowedNodeEnvironmentFlags} and
 * {@code process.features.typescript}.
 *
 * <p>A {@code .ts} file runs with {@code --experimental-strip-types} where Node.js has it. Where it does not, and the
 * project has the <a href="https://tsx.is">tsx</a> package ({@code node_modules/tsx/package.json} in the file's
 * folder or a parent folder, where Node.js looks for it too), it runs with {@code --import tsx}, which lets tsx compile
 * the file. Otherwise reading it fails with a message saying what to install.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FarmJsFormat {

    /** How long Node.js may take to evaluate the file before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(FarmJsFormat.class);

    /** What each node command supports, asked once per JVM. */
    private static final Map<List<String>, NodeFeatures> FEATURES = new ConcurrentHashMap<>();

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final int MAX_STDERR_BYTES = 64 * 1024;
    private static final int MAX_QUOTED_LINES = 12;
    private static final int MAX_LINE_LENGTH = 200;
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at .*");
    /** Node's exit code when the top-level await never settles. */
    private static final int UNSETTLED_TOP_LEVEL_AWAIT = 13;

    private static final String PROBE_SCRIPT = """
            const flags = process.allowedNodeEnvironmentFlags;
            require('node:fs').writeFileSync(process.argv[1], JSON.stringify({
              version: process.version,
              detectModule: flags.has('--experimental-detect-module'),
              stripTypes: flags.has('--experimental-strip-types'),
              importFlag: flags.has('--import'),
              typescript: Boolean(process.features && process.features.typescript),
            }));
            """;

    private static final String EVALUATE_SCRIPT = """
            import { writeFileSync } from 'node:fs';
            import { pathToFileURL } from 'node:url';
            const [file, out] = process.argv.slice(1);
            const report = (result) => { writeFileSync(out, JSON.stringify(result)); process.exit(0); };
            const ns = await import(pathToFileURL(file).href);
            let config = ns.default;
            if (config === undefined) {
              if (Object.keys(ns).length === 0) report({ problem: 'nothing' });
              config = { ...ns };
            } else if (config !== null && typeof config === 'object' && config.__esModule && 'default' in config) {
              config = config.default;
            }
            const fromFunction = typeof config === 'function';
            if (fromFunction) config = config();
            config = await config;
            const kind = config === null ? 'null' : Array.isArray(config) ? 'list' : typeof config;
            if (kind !== 'object') report({ problem: 'type', kind, fromFunction });
            let json;
            try {
              json = JSON.stringify({ config });
            } catch (e) {
              report({ problem: 'json', message: String((e && e.message) || e) });
            }
            writeFileSync(out, json);
            process.exit(0);
            """;

    private final List<String> node;
    private final Duration timeout;

    /** Creates a reader that runs {@code node} from {@code PATH} and gives it {@link #DEFAULT_TIMEOUT}. */
    public FarmJsFormat() {
        this(List.of("node"), DEFAULT_TIMEOUT);
    }

    /**
     * Creates a reader that runs the given node command.
     *
     * @param node the program and any leading arguments, such as {@code [node]} or {@code [/opt/node22/bin/node]}
     * @param timeout how long one evaluation may take before node and its child processes are stopped
     */
    public FarmJsFormat(List<String> node, Duration timeout) {
        if (node.isEmpty()) {
            throw new IllegalArgumentException("node: empty (expected: a program, such as [node])");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.node = List.copyOf(node);
        this.timeout = timeout;
    }

    /**
     * Evaluates the file and expands its default export; the project's default name is the file's folder's name.
     *
     * @param file a {@code farm.config.js} or {@code farm.config.ts}, as the user named it; messages name it so
     * @return the {@code farm.yaml}-shaped tree of {@link FarmPreset#expand}, never {@code null}
     * @throws ConfigException when node is missing or too old, the file cannot be evaluated, or its export is wrong
     */
    public Map<String, Object> read(Path file) {
        Path folder = projectFolder(file);
        Path folderName = folder.getFileName();
        return FarmPreset.expand(file, evaluate(file), folderName == null ? "farm" : folderName.toString());
    }

    /**
     * Evaluates the file with Node.js and returns its exported config object as JSON-like values.
     *
     * @param file the FARM config file
     * @return the exported object: {@link Map}, {@link List}, {@link String}, {@link Number}, {@link Boolean} and
     *     {@code null} values
     * @throws ConfigException when node is missing or too old, the file cannot be evaluated, or its export is wrong
     */
    Map<String, Object> evaluate(Path file) {
        if (!Files.isRegularFile(file)) {
            throw problem(
                    file,
                    0,
                    "file not found (looked in " + projectFolder(file) + "). Check the path given with -f or -C.",
                    null);
        }
        NodeFeatures features = features(file);
        List<String> flags = flagsFor(file, features);
        Path scratch = createScratchFolder(file);
        try {
            Path out = scratch.resolve("config.json");
            Path stderr = scratch.resolve("stderr.txt");
            List<String> command = new ArrayList<>(node);
            command.addAll(flags);
            command.addAll(List.of(
                    "--input-type=module",
                    "-e",
                    EVALUATE_SCRIPT,
                    "--",
                    file.toAbsolutePath().normalize().toString(),
                    out.toString()));
            int exitCode = run(command, file, stderr);
            if (Files.isRegularFile(out)) {
                return result(file, readJson(file, out));
            }
            throw evaluationFailed(file, exitCode, readStderr(stderr), features, flags);
        } finally {
            deleteScratchFolder(scratch);
        }
    }

    // ---- what node supports

    /** What a Node.js installation supports. */
    record NodeFeatures(
            String version, boolean detectModule, boolean stripTypes, boolean typescript, boolean importFlag) {}

    private NodeFeatures features(Path file) {
        NodeFeatures known = FEATURES.get(node);
        if (known != null) {
            return known;
        }
        Path scratch = createScratchFolder(file);
        try {
            Path out = scratch.resolve("node.json");
            Path stderr = scratch.resolve("stderr.txt");
            List<String> command = new ArrayList<>(node);
            command.addAll(List.of("-e", PROBE_SCRIPT, "--", out.toString()));
            int exitCode = run(command, file, stderr);
            Object answer = Files.isRegularFile(out) ? readJson(file, out) : null;
            if (!(answer instanceof Map<?, ?> map) || !(map.get("version") instanceof String version)) {
                throw problem(
                        file,
                        0,
                        "Node.js is needed to read this file, and " + String.join(" ", node)
                                + " did not answer like Node.js (exit code " + exitCode + "). Install Node.js 18 or"
                                + " newer, or write farm.yaml (see docs/config.md)."
                                + printed(readStderr(stderr), file),
                        null);
            }
            NodeFeatures features = new NodeFeatures(
                    version,
                    Boolean.TRUE.equals(map.get("detectModule")),
                    Boolean.TRUE.equals(map.get("stripTypes")),
                    Boolean.TRUE.equals(map.get("typescript")),
                    Boolean.TRUE.equals(map.get("importFlag")));
            LOG.debug("{} is Node.js {}", node, features);
            NodeFeatures raced = FEATURES.putIfAbsent(node, features);
            return raced != null ? raced : features;
        } finally {
            deleteScratchFolder(scratch);
        }
    }

    /**
     * The options node runs the file with: ES module detection where node has it, and for a {@code .ts} file type
     * stripping, else tsx from the project's {@code node_modules}.
     *
     * @throws ConfigException for a {@code .ts} file that this node cannot run, with or without tsx
     */
    static List<String> flagsFor(Path file, NodeFeatures features) {
        List<String> flags = new ArrayList<>();
        if (features.detectModule()) {
            flags.add("--experimental-detect-module");
        }
        if (isTypeScript(file)) {
            if (features.stripTypes()) {
                flags.add("--experimental-strip-types");
            } else if (!features.typescript()) {
                Optional<Path> tsx = tsxFolder(file);
                if (tsx.isEmpty()) {
                    throw problem(
                            file,
                            0,
                            "Node.js " + features.version() + " cannot strip the types of a " + extension(file)
                                    + " file, and the project has no tsx (looked for node_modules/tsx in "
                                    + projectFolder(file) + " and its parent folders). Install Node.js 22.6 or"
                                    + " newer, which strips types; or run 'npm install --save-dev tsx' in "
                                    + projectFolder(file) + ", and farm will run the file with 'node --import tsx';"
                                    + " or rename it farm.config.js and remove the TypeScript syntax; or write"
                                    + " farm.yaml (see docs/config.md).",
                            null);
                }
                if (!features.importFlag()) {
                    throw problem(
                            file,
                            0,
                            "Node.js " + features.version() + " cannot strip the types of a " + extension(file)
                                    + " file, nor load the tsx installed in "
                                    + tsx.get().resolve("node_modules")
                                    + " (that needs 'node --import', Node.js 18.19 or 20.6 and newer). Install"
                                    + " Node.js 22.6 or newer, or at least 20.6; or rename it farm.config.js and"
                                    + " remove the TypeScript syntax; or write farm.yaml (see docs/config.md).",
                            null);
                }
                flags.addAll(List.of("--import", "tsx"));
            }
        }
        return flags;
    }

    /**
     * The file's folder, or the nearest parent folder, whose {@code node_modules} holds tsx; node, running in the
     * file's folder, resolves {@code --import tsx} there.
     */
    private static Optional<Path> tsxFolder(Path file) {
        for (Path folder = projectFolder(file); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(
                    folder.resolve("node_modules").resolve("tsx").resolve("package.json"))) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    private static boolean isTypeScript(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return name.endsWith(".ts") || name.endsWith(".mts") || name.endsWith(".cts");
    }

    private static String extension(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot);
    }

    // ---- running node

    /**
     * Runs a command in the file's folder with standard output discarded and standard error in a file, and waits for
     * it; a timeout stops the process and its descendants.
     */
    private int run(List<String> command, Path file, Path stderr) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectFolder(file).toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw nodeNotRunnable(file, e);
        }
        try {
            process.getOutputStream().close(); // stdin: at its end, so nothing waits for input
        } catch (IOException e) {
            LOG.debug("could not close the standard input of {}", command.get(0), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stopTree(process);
                throw problem(
                        file,
                        0,
                        "Node.js did not finish evaluating it within " + Durations.format(timeout)
                                + ", so farm stopped it. Look for a Promise that never settles, or a server, timer or"
                                + " watcher the file starts; the file should only compute and export the config.",
                        null);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            stopTree(process);
            Thread.currentThread().interrupt();
            throw problem(file, 0, "reading was interrupted; node was stopped.", e);
        }
    }

    /** Stops the process and every process it started, politely first, then forcibly after a grace period. */
    private static void stopTree(Process process) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle()))
                .toList();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("node ignored SIGTERM for {}; killing it", KILL_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private ConfigException nodeNotRunnable(Path file, IOException e) {
        String program = node.get(0);
        boolean onPath = !program.contains("/") && !program.contains("\\");
        String message = String.valueOf(e.getMessage());
        boolean missing = message.contains("error=2,") || message.contains("No such file");
        String what = missing
                ? (onPath ? program + " was not found on PATH" : program + " was not found")
                : program + " could not be run (" + message + ")";
        return problem(
                file,
                0,
                "Node.js is needed to read this file, and " + what
                        + ". Install Node.js 18 or newer, or write farm.yaml (see docs/config.md).",
                e);
    }

    // ---- understanding the outcome

    private static Map<String, Object> result(Path file, @Nullable Object answer) {
        if (answer instanceof Map<?, ?> map && map.get("config") instanceof Map<?, ?> config) {
            @SuppressWarnings("unchecked") // JSON object keys are strings
            Map<String, Object> farmConfig = (Map<String, Object>) config;
            return farmConfig;
        }
        String problem = answer instanceof Map<?, ?> map ? String.valueOf(map.get("problem")) : "";
        String example = " such as: export default { features: ['ai'] }";
        switch (problem) {
            case "nothing" ->
                throw problem(
                        file,
                        0,
                        "exports nothing. Export the FARM config object: export default { ... } (or, in CommonJS,"
                                + " module.exports = { ... }).",
                        null);
            case "type" -> {
                Map<?, ?> details = (Map<?, ?>) Objects.requireNonNull(answer);
                String kind = describeKind(String.valueOf(details.get("kind")));
                String found =
                        Boolean.TRUE.equals(details.get("fromFunction")) ? "a function that returned " + kind : kind;
                throw problem(
                        file,
                        0,
                        "its default export is " + found + ", expected an object" + example
                                + ". Export the FARM config object, or a function returning it.",
                        null);
            }
            case "json" ->
                throw problem(
                        file,
                        0,
                        "its config cannot be turned into JSON ("
                                + ((Map<?, ?>) Objects.requireNonNull(answer)).get("message")
                                + "). Export plain data: objects, lists, strings, numbers and booleans.",
                        null);
            default ->
                throw problem(
                        file,
                        0,
                        "its default export is not an object, expected an object" + example
                                + ". Export the FARM config object.",
                        null);
        }
    }

    private static String describeKind(String kind) {
        return switch (kind) {
            case "null", "undefined" -> kind;
            case "list" -> "a list";
            case "object" -> "an object";
            default -> "a " + kind;
        };
    }

    private static ConfigException evaluationFailed(
            Path file, int exitCode, String stderr, NodeFeatures features, List<String> flags) {
        if (exitCode == UNSETTLED_TOP_LEVEL_AWAIT) {
            return problem(
                    file,
                    0,
                    "Node.js stopped waiting for it: a Promise it awaits or exports never settles (and nothing else"
                            + " is left to run). Resolve that Promise, or export the config object directly.",
                    null);
        }
        List<String> lines = meaningfulLines(stderr, file);
        if (exitCode == 0 || lines.isEmpty()) {
            return problem(
                    file,
                    0,
                    "Node.js exited with code " + exitCode + " before handing over the config, and printed no error."
                            + " Remove any process.exit() call from the file.",
                    null);
        }
        String fileName = String.valueOf(file.getFileName());
        String hint;
        if (stderr.contains("ERR_MODULE_NOT_FOUND") || stderr.contains("Cannot find module")) {
            hint = "Install the project's packages (npm install in " + projectFolder(file) + "), or fix the import.";
        } else if (!features.detectModule()
                && (stderr.contains("Cannot use import statement outside a module")
                        || stderr.contains("Unexpected token 'export'"))) {
            hint = "Node.js " + features.version() + " reads a .js file as CommonJS unless the nearest package.json"
                    + " says \"type\": \"module\". Add that to package.json, use module.exports = { ... }, or install"
                    + " Node.js 20.10 or newer.";
        } else {
            List<String> shown = new ArrayList<>(List.of("node"));
            shown.addAll(flags);
            shown.add(fileName);
            hint = "Fix the error; run '" + String.join(" ", shown) + "' in " + projectFolder(file)
                    + " to see node's whole output.";
        }
        return problem(
                file, lineOf(lines, fileName), "Node.js could not evaluate it:" + quote(lines) + "\n" + hint, null);
    }

    /**
     * Keeps what tells the user what went wrong: node's error header (file and line, source line, caret, error
     * message), without warnings, the stack trace, node's version line and a header pointing into node's own source;
     * the first stack frame naming the file is kept when nothing else names it.
     */
    static List<String> meaningfulLines(String stderr, Path file) {
        String fileName = String.valueOf(file.getFileName());
        String url = "file://" + file.toAbsolutePath().normalize();
        List<String> kept = new ArrayList<>();
        String frame = null;
        boolean inStack = false;
        boolean inInternalHeader = false;
        for (String raw : stderr.replace(url, file.toAbsolutePath().normalize().toString())
                .lines()
                .toList()) {
            String line = raw.stripTrailing();
            if (line.isBlank()) {
                inInternalHeader = false;
                continue;
            }
            if (kept.isEmpty() && !inStack && line.startsWith("node:")) {
                // the header points into node's own source (node:internal/...), not into the user's file
                inInternalHeader = true;
            }
            if (inInternalHeader
                    || line.startsWith("(node:")
                    || line.startsWith("(Use `node --trace-warnings")
                    || line.matches("Node\\.js v\\d+.*")) {
                continue;
            }
            if (STACK_FRAME.matcher(line).matches()) {
                inStack = true;
                if (frame == null && line.contains(fileName)) {
                    frame = line.strip();
                }
                continue;
            }
            if (!inStack && kept.size() < MAX_QUOTED_LINES) {
                kept.add(line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + "..." : line);
            }
        }
        if (frame != null && kept.stream().noneMatch(l -> l.contains(fileName))) {
            kept.add(frame);
        }
        return kept;
    }

    /** The line node names in its error header, such as {@code /p/farm.config.js:3}, or 0. */
    private static int lineOf(List<String> lines, String fileName) {
        Pattern header = Pattern.compile(Pattern.quote(fileName) + ":(\\d+)(?::\\d+)?\\)?$");
        for (String line : lines) {
            Matcher matcher = header.matcher(line);
            if (matcher.find()) {
                try {
                    return Integer.parseInt(matcher.group(1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static String quote(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append("\n    ").append(line));
        return out.toString();
    }

    private static String printed(String stderr, Path file) {
        List<String> lines = meaningfulLines(stderr, file);
        return lines.isEmpty() ? "" : " It printed:" + quote(lines);
    }

    // ---- files

    private static Path projectFolder(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        return parent != null ? parent : absolute;
    }

    private static Path createScratchFolder(Path file) {
        try {
            return Files.createTempDirectory("farm-config-js-");
        } catch (IOException e) {
            throw problem(
                    file,
                    0,
                    "cannot be read: farm could not create a temporary folder (" + e.getMessage()
                            + "). Check that java.io.tmpdir is writable and has space.",
                    e);
        }
    }

    private static void deleteScratchFolder(Path scratch) {
        try (Stream<Path> files = Files.list(scratch)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            LOG.debug("could not delete {}", scratch, e);
        }
    }

    private static String readStderr(Path stderr) {
        try (InputStream in = Files.newInputStream(stderr)) {
            return new String(in.readNBytes(MAX_STDERR_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static @Nullable Object readJson(Path file, Path json) {
        try (JsonParser parser = JSON.createParser(json.toFile())) {
            return parser.nextToken() == null ? null : value(parser);
        } catch (IOException e) {
            throw problem(
                    file,
                    0,
                    "Node.js handed over something farm could not read as JSON (" + e.getMessage()
                            + "). Export plain data: objects, lists, strings, numbers and booleans.",
                    e);
        }
    }

    private static @Nullable Object value(JsonParser parser) throws IOException {
        JsonToken token = Objects.requireNonNull(parser.currentToken());
        return switch (token) {
            case START_OBJECT -> {
                Map<String, @Nullable Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    map.put(key, value(parser));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<@Nullable Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token);
        };
    }

    private static ConfigException problem(Path file, int line, String message, @Nullable Throwable cause) {
        return new ConfigException(List.of(new ConfigProblem(file, line, 0, "", message)), cause);
    }
}
