package dev.farm.config.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema (draft 2020-12) of the {@code farm.yaml} format, so editors that speak the YAML language server
 * complete and check {@code farm.yaml}. It follows {@code docs/config.md}, the user-facing contract; a copy is
 * committed as {@code docs/farm.schema.json}, and a test fails when the two differ.
 *
 * <p>Conventions: every object with known keys rejects others; every property has a description, and a default where
 * the docs give one; a number may also be written as a string holding {@code ${...}} (interpolation), and so may a
 * duration or a range. Shapes used in more than one place live under {@code $defs}.
 */
public final class ConfigSchema {

    /** The schema's {@code $id}. */
    public static final String ID = "https://farm.dev/schema/farm.schema.json";

    /** A duration, such as {@code 30s} or {@code 1m30s}; the same syntax {@link Durations} reads. */
    static final String DURATION = "^(\\d+(ms|s|m|h))+$";

    /** Two durations joined by {@code ..}, such as {@code 200ms..30s}. */
    static final String RANGE = "^(\\d+(ms|s|m|h))+\\.\\.(\\d+(ms|s|m|h))+$";

    /** A service name: letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit. */
    static final String SERVICE_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    private static final List<String> SIGNALS = List.of("TERM", "INT", "QUIT", "HUP", "KILL", "USR1", "USR2");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    private ConfigSchema() {}

    /**
     * Returns the schema as JSON: two-space indents, keys in a fixed order, a newline at the end.
     *
     * @return the schema, the same text on every call
     */
    public static String json() {
        try {
            return WRITER.writeValueAsString(tree()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the farm.yaml schema as JSON", e);
        }
    }

    /**
     * Builds the schema as a tree.
     *
     * @return a new tree, which the caller may change
     */
    static ObjectNode tree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$schema", DRAFT);
        root.put("$id", ID);
        root.put("title", "farm.yaml");
        Schema top = Schema.described(
                        "The configuration of a farm project: the services to run, in dependency order and gated on"
                                + " readiness, and the proxy that puts them behind one port.")
                .type("object")
                .property(
                        "name",
                        Schema.described("The project's name; by default the name of the project folder.")
                                .type("string")
                                .minLength(1))
                .property("env", Schema.ref("Variables for every service.", "envMap"))
                .property(
                        "env_file",
                        Schema.ref(
                                "Env files for every service, read in order and re-read at every (re)start.",
                                "envFile"))
                .property(
                        "services",
                        Schema.described("What to run: a map of service names to services; required unless discover"
                                        + " finds some.")
                                .type("object")
                                .propertyNames(Schema.plain().ref("serviceName"))
                                .additionalProperties(Schema.plain().ref("service")))
                .property("proxy", Schema.ref("The one-port reverse proxy; without it, farm runs no proxy.", "proxy"))
                .property(
                        "codegen",
                        Schema.described("Code generation: a map of job names to codegen jobs.")
                                .type("object")
                                .additionalProperties(Schema.plain().ref("codegenJob")))
                .property(
                        "discover",
                        Schema.described("Rules that find services by scanning folders.")
                                .type("array")
                                .items(Schema.plain().ref("discoverRule")))
                .property(
                        "profiles",
                        Schema.described("Overrides by profile name, merged over the main configuration while the"
                                        + " profile is active: farm dev activates dev, farm serve activates serve.")
                                .type("object")
                                .additionalProperties(Schema.plain().ref("profile")))
                .closed();
        root.setAll(top.node());
        root.set("$defs", defs());
        return root;
    }

    private static ObjectNode defs() {
        ObjectNode defs = JsonNodeFactory.instance.objectNode();
        defs.set("serviceName", serviceName().node());
        defs.set("interpolated", interpolated().node());
        defs.set("duration", duration().node());
        defs.set("range", range().node());
        defs.set("command", command().node());
        defs.set("envMap", envMap().node());
        defs.set("envFileEntry", envFileEntry().node());
        defs.set("envFile", envFile().node());
        defs.set("glob", glob().node());
        defs.set("port", port().node());
        defs.set("portOrAuto", portOrAuto().node());
        defs.set("readyProbe", probe(true).node());
        defs.set("aliveProbe", probe(false).node());
        defs.set("dependencyCondition", dependencyCondition().node());
        defs.set("dependsOn", dependsOn().node());
        defs.set("restartPolicy", restartPolicy().node());
        defs.set("restart", restart().node());
        defs.set("watchAction", watchAction().node());
        defs.set("watchRule", watchRule().node());
        defs.set("partialService", partialService().node());
        defs.set("service", service().node());
        defs.set("routeTarget", routeTarget().node());
        defs.set("route", route().node());
        defs.set("partialProxy", partialProxy().node());
        defs.set("proxy", proxy().node());
        defs.set("codegenJob", codegenJob().node());
        defs.set("discoverRule", discoverRule().node());
        defs.set("profile", profile().node());
        return defs;
    }

    private static Schema serviceName() {
        return Schema.described("A service name: letters, digits, '.', '_' and '-', starting with a letter or digit.")
                .type("string")
                .pattern(SERVICE_NAME);
    }

    private static Schema interpolated() {
        return Schema.described("A value written with ${...} interpolation, such as ${API_PORT:-8000}; farm checks"
                        + " what it becomes when it reads the file.")
                .type("string")
                .pattern("\\$\\{");
    }

    private static Schema duration() {
        return Schema.described(
                        "A duration: a number with a unit, ms, s, m or h, parts combined: 250ms, 30s, 2m, 1m30s.")
                .type("string")
                .anyOf(Schema.plain().pattern(DURATION), Schema.plain().ref("interpolated"));
    }

    private static Schema range() {
        return Schema.described(
                        "Two durations joined by '..', such as 200ms..30s; the first is not larger than the second.")
                .type("string")
                .anyOf(Schema.plain().pattern(RANGE), Schema.plain().ref("interpolated"));
    }

    private static Schema command() {
        return Schema.described("A command: a string runs through /bin/sh -c (pipes, && and $VAR work); a list runs"
                        + " the program directly with those arguments.")
                .oneOf(
                        Schema.described("A shell command line, run through /bin/sh -c.")
                                .type("string")
                                .minLength(1),
                        Schema.described("The program and its arguments, run directly; a relative program is looked"
                                        + " up on PATH, then in the service's cwd.")
                                .type("array")
                                .minItems(1)
                                .items(Schema.plain().type("string", "number", "boolean")));
    }

    private static Schema envMap() {
        return Schema.described("Environment variables: a map of names to strings, numbers or booleans, interpolated"
                        + " again at each (re)start.")
                .type("object")
                .additionalProperties(Schema.plain().type("string", "number", "boolean"));
    }

    private static Schema envFileEntry() {
        return Schema.described("An env file: its path, or { path, required: false } for a file that may be missing.")
                .oneOf(
                        Schema.plain().type("string").minLength(1),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "path",
                                        Schema.described("The env file's path.")
                                                .type("string")
                                                .minLength(1))
                                .property(
                                        "required",
                                        Schema.described("Whether a missing file is an error; false skips it.")
                                                .type("boolean")
                                                .defaultValue(true))
                                .closed()
                                .required("path"));
    }

    private static Schema envFile() {
        return Schema.described("Env files of KEY=VALUE lines, as docker compose and python-dotenv read them: one or a"
                        + " list, read in order.")
                .oneOf(
                        Schema.plain().ref("envFileEntry"),
                        Schema.plain().type("array").items(Schema.plain().ref("envFileEntry")));
    }

    private static Schema glob() {
        return Schema.described("A glob: * matches within one folder, **/ zero or more folders, ? one character, [abc]"
                        + " a class, {a,b} alternatives, and a leading ! negates.")
                .type("string")
                .minLength(1);
    }

    private static Schema port() {
        return Schema.described("A TCP port, 1-65535.")
                .anyOf(portNumber(), Schema.plain().ref("interpolated"));
    }

    private static Schema portOrAuto() {
        return Schema.described("A TCP port, 1-65535, or auto to let farm pick a free one.")
                .anyOf(
                        portNumber(),
                        Schema.plain().constant("auto"),
                        Schema.plain().ref("interpolated"));
    }

    private static Schema portNumber() {
        return integer(1, 65535);
    }

    /**
     * A probe: exactly one check and optional timing. Ready and alive probes differ in what they allow ({@code log}
     * is for ready, {@code failures} for alive) and in their defaults, so each has its own definition.
     */
    private static Schema probe(boolean ready) {
        List<String> checks = new ArrayList<>(List.of("tcp", "http", "log", "exec", "heartbeat"));
        if (!ready) {
            checks.remove("log");
        }
        Schema probe = Schema.described(
                        ready
                                ? "A ready probe: exactly one check (tcp, http, log, exec or heartbeat) and optional"
                                        + " timing; the service is ready once it passes."
                                : "An alive probe: exactly one check (tcp, http, exec or heartbeat) and optional"
                                        + " timing; failing failures times in a row restarts the service.")
                .type("object")
                .property(
                        "tcp",
                        Schema.ref("Passes when a TCP connect to this port on 127.0.0.1 (or ::1) succeeds.", "port"))
                .property(
                        "http",
                        Schema.described("Passes when the answer's status is accepted: a path such as /health asks the"
                                        + " service's port (or the probe's port), a URL is asked as it is.")
                                .type("string")
                                .anyOf(
                                        Schema.plain().pattern("^/"),
                                        Schema.plain().pattern("^https?://"),
                                        Schema.plain().ref("interpolated")))
                .property(
                        "method",
                        Schema.described("The HTTP method of the request (http only).")
                                .type("string")
                                .pattern("^[A-Z]+$")
                                .examples("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
                                .defaultValue("GET"))
                .property(
                        "status",
                        Schema.described("The status, or list of statuses, that counts as a pass (http only); by"
                                        + " default any 2xx or 3xx.")
                                .anyOf(
                                        integer(100, 599),
                                        Schema.plain().ref("interpolated"),
                                        Schema.plain().type("array").minItems(1).items(statusCode())))
                .property("port", Schema.ref("The port to probe instead of the service's (http only).", "port"));
        if (ready) {
            probe.property(
                    "log",
                    Schema.described("Passes when a line of the service's output matches this Java regex.")
                            .type("string")
                            .minLength(1));
        }
        probe.property(
                        "exec",
                        Schema.ref(
                                "Passes when this command exits 0; it runs in the service's cwd and environment.",
                                "command"))
                .property(
                        "heartbeat",
                        Schema.ref(
                                "Passes while the service calls farm's control API within this interval.", "duration"));
        if (ready) {
            probe.property(
                            "timeout",
                            Schema.ref("How long farm waits for the service to become ready.", "duration")
                                    .defaultValue("60s"))
                    .property(
                            "every",
                            Schema.ref(
                                    "The time between checks; by default fast at first (20ms), backing off to 250ms.",
                                    "duration"));
        } else {
            probe.property(
                            "timeout",
                            Schema.ref("How long one check may take.", "duration")
                                    .defaultValue("5s"))
                    .property(
                            "every",
                            Schema.ref("The time between checks.", "duration").defaultValue("10s"))
                    .property(
                            "failures",
                            Schema.described("Failed checks in a row before the service counts as dead.")
                                    .anyOf(integer(1, null), Schema.plain().ref("interpolated"))
                                    .defaultValue(3));
        }
        return probe.closed()
                .oneOf(checks.stream()
                        .map(check -> Schema.plain().required(check))
                        .toArray(Schema[]::new))
                .dependentRequired("http", "method", "status", "port");
    }

    private static Schema statusCode() {
        return Schema.plain().anyOf(integer(100, 599), Schema.plain().ref("interpolated"));
    }

    private static Schema dependencyCondition() {
        return Schema.described("What must happen to a dependency first: started; ready (it passes its ready probe);"
                        + " completed (it exited); succeeded (it exited with a success code); or { log: REGEX }.")
                .oneOf(
                        Schema.plain().enumOf("started", "ready", "completed", "succeeded"),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "log",
                                        Schema.described("The dependency has printed a line matching this Java regex.")
                                                .type("string")
                                                .minLength(1))
                                .closed()
                                .required("log"));
    }

    private static Schema dependsOn() {
        return Schema.described("What must happen first: a map of service names to conditions, or a list of service"
                        + " names (each ready).")
                .oneOf(
                        Schema.plain()
                                .type("object")
                                .propertyNames(Schema.plain().ref("serviceName"))
                                .additionalProperties(Schema.plain().ref("dependencyCondition")),
                        Schema.plain()
                                .type("array")
                                .uniqueItems()
                                .items(Schema.plain().ref("serviceName")));
    }

    private static Schema restartPolicy() {
        return Schema.described("When a stopped process is started again: no, on-failure (its exit code is not in"
                        + " success_exit_codes) or always; YAML reads an unquoted no as false, which means no.")
                .enumOf("no", "on-failure", "always", false);
    }

    private static Schema restart() {
        return Schema.described("When a stopped process is started again: no, on-failure or always, or a map with"
                        + " when, max, backoff and reset_after.")
                .oneOf(
                        Schema.plain().ref("restartPolicy"),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "when",
                                        Schema.ref("When to restart.", "restartPolicy")
                                                .defaultValue("on-failure"))
                                .property(
                                        "max",
                                        Schema.described("Restarts allowed before the service is failed.")
                                                .anyOf(
                                                        integer(0, null),
                                                        Schema.plain().ref("interpolated"))
                                                .defaultValue(5))
                                .property(
                                        "backoff",
                                        Schema.described("The delay before a restart: a range gives the first delay,"
                                                        + " doubling up to the second; a duration is a fixed delay.")
                                                .anyOf(
                                                        Schema.plain().ref("range"),
                                                        Schema.plain().ref("duration"))
                                                .defaultValue("200ms..30s"))
                                .property(
                                        "reset_after",
                                        Schema.ref("Running this long refills max.", "duration")
                                                .defaultValue("60s"))
                                .closed());
    }

    private static Schema watchAction() {
        return Schema.described("What a change does: restart (the service), cascade (restart it and its dependents),"
                        + " { run: COMMAND }, { codegen: JOB } or { http: \"METHOD PATH\", fallback: restart }.")
                .oneOf(
                        Schema.plain().enumOf("restart", "cascade"),
                        Schema.plain()
                                .type("object")
                                .property("run", Schema.ref("Runs this command.", "command"))
                                .closed()
                                .required("run"),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "codegen",
                                        Schema.described("Runs this codegen job.")
                                                .type("string")
                                                .minLength(1))
                                .closed()
                                .required("codegen"),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "http",
                                        Schema.described("Calls the service with this request, written METHOD PATH.")
                                                .type("string")
                                                .pattern("^[A-Z]+ /\\S*$"))
                                .property(
                                        "fallback",
                                        Schema.described("What to do when the call fails.")
                                                .enumOf("restart", "cascade")
                                                .defaultValue("restart"))
                                .closed()
                                .required("http"));
    }

    private static Schema watchRule() {
        return Schema.described("A watch rule: which file changes do what to the service.")
                .type("object")
                .property(
                        "paths",
                        Schema.described(
                                        "Files whose change triggers the rule, as globs relative to the service's cwd.")
                                .type("array")
                                .minItems(1)
                                .items(Schema.plain().ref("glob")))
                .property(
                        "ignore",
                        Schema.described("Files never to count, as globs.")
                                .type("array")
                                .items(Schema.plain().ref("glob")))
                .property(
                        "do", Schema.ref("What the change does.", "watchAction").defaultValue("restart"))
                .closed()
                .required("paths");
    }

    private static Schema partialService() {
        List<Object> signals = new ArrayList<>(SIGNALS);
        SIGNALS.forEach(signal -> signals.add("SIG" + signal));
        return Schema.described("The keys of a service, none of them required: a profile merges them over the main"
                        + " service of the same name.")
                .type("object")
                .property(
                        "kind",
                        Schema.described("process: a process farm runs and stops; daemon: started by a command that"
                                        + " exits and stopped by another; external: something farm only probes.")
                                .enumOf("process", "daemon", "external")
                                .defaultValue("process"))
                .property(
                        "command",
                        Schema.ref("What to run; required for a process unless a preset gives one.", "command"))
                .property("start", Schema.ref("Starts the daemon and must exit 0; required for a daemon.", "command"))
                .property(
                        "stop",
                        Schema.ref(
                                "Stops the service: required for a daemon; for a process, run instead of a signal.",
                                "command"))
                .property(
                        "cwd",
                        Schema.described("The working folder, relative to the project folder; it must exist (default:"
                                        + " the project folder).")
                                .type("string")
                                .minLength(1))
                .property("env", Schema.ref("Variables for the service, over the project's.", "envMap"))
                .property(
                        "env_file",
                        Schema.ref(
                                "Env files for the service, relative to its cwd, read in order and re-read at every"
                                        + " (re)start.",
                                "envFile"))
                .property(
                        "port",
                        Schema.ref(
                                "The port it listens on, given to it as PORT and ${port}; auto picks a free one.",
                                "portOrAuto"))
                .property(
                        "ready",
                        Schema.ref("When it is ready; without a probe, it is ready once started.", "readyProbe"))
                .property(
                        "alive",
                        Schema.ref("Checked while it runs; failing failures times in a row restarts it.", "aliveProbe"))
                .property("depends_on", Schema.ref("What must happen before it starts.", "dependsOn"))
                .property(
                        "restart",
                        Schema.ref("When a stopped process is started again.", "restart")
                                .defaultValue("on-failure"))
                .property(
                        "stop_signal",
                        Schema.described("The signal sent to the process group to stop it (SIG prefix allowed).")
                                .enumOf(signals.toArray())
                                .defaultValue("TERM"))
                .property(
                        "stop_timeout",
                        Schema.ref("How long to wait after the stop signal before SIGKILL.", "duration")
                                .defaultValue("10s"))
                .property(
                        "success_exit_codes",
                        Schema.described("Exit codes that count as success, for succeeded and restart: on-failure.")
                                .type("array")
                                .items(Schema.plain()
                                        .anyOf(integer(0, 255), Schema.plain().ref("interpolated")))
                                .defaultValue(List.of(0)))
                .property(
                        "adopt",
                        Schema.described("When its probe already passes at start, use the running instance and never"
                                        + " stop it.")
                                .type("boolean")
                                .defaultValue(false))
                .property(
                        "optional",
                        Schema.described("When its program is not installed and nothing answers on its port, the stack"
                                        + " runs without it (saying so) and what depends on it starts without"
                                        + " waiting for it.")
                                .type("boolean")
                                .defaultValue(false))
                .property(
                        "watch",
                        Schema.described("What file changes do to it.")
                                .type("array")
                                .items(Schema.plain().ref("watchRule")))
                .property(
                        "preset",
                        Schema.described("Fills in what the service does not set: ollama runs ollama serve on port"
                                        + " 11434, ready and alive on GET /api/tags, adopts an Ollama already"
                                        + " running (adopt: true), is optional (optional: true: without ollama"
                                        + " installed the stack runs without local AI), and pulls the models listed in"
                                        + " models once ready.")
                                .enumOf("ollama"))
                .property(
                        "models",
                        Schema.described("Models the ollama preset pulls, with progress, once the service is ready and"
                                        + " when this list changes; those /api/tags already has are skipped.")
                                .type("array")
                                .items(Schema.plain().type("string").minLength(1)))
                .property(
                        "group",
                        Schema.described("A group name, such as domains (farm domains list).")
                                .type("string")
                                .minLength(1))
                .closed();
    }

    private static Schema service() {
        return Schema.described("A service: a process farm runs, a daemon it starts and stops with commands, or"
                        + " something external it only probes.")
                .ref("partialService")
                .allOf(
                        Schema.plain()
                                .ifThen(
                                        Schema.plain()
                                                .property("kind", Schema.plain().constant("daemon"))
                                                .required("kind"),
                                        Schema.plain().required("start", "stop")),
                        Schema.plain()
                                .ifThen(
                                        Schema.plain()
                                                .property("kind", Schema.plain().constant("process"))
                                                .not(Schema.plain().required("preset")),
                                        Schema.plain().required("command")));
    }

    private static Schema routeTarget() {
        return Schema.described("A service name or an http:// URL.")
                .type("string")
                .anyOf(
                        Schema.plain().pattern(SERVICE_NAME),
                        Schema.plain().pattern("^https?://"),
                        Schema.plain().ref("interpolated"));
    }

    private static Schema route() {
        return Schema.described("Where requests under a prefix go: a service name, an http:// URL, or a route map.")
                .oneOf(
                        Schema.plain().ref("routeTarget"),
                        Schema.plain()
                                .type("object")
                                .property(
                                        "to",
                                        Schema.ref("The service name or http:// URL requests go to.", "routeTarget"))
                                .property(
                                        "rewrite",
                                        Schema.described("Replaces the matched prefix in the request path.")
                                                .type("string"))
                                .property(
                                        "websocket",
                                        Schema.described("Whether WebSocket upgrades are passed through.")
                                                .type("boolean")
                                                .defaultValue(true))
                                .property(
                                        "hold",
                                        Schema.ref(
                                                "How long a request waits for a restarting target, instead of the"
                                                        + " proxy's hold.",
                                                "duration"))
                                .closed()
                                .required("to"));
    }

    private static Schema partialProxy() {
        return Schema.described(
                        "The keys of the proxy, none of them required: a profile merges them over the main" + " proxy.")
                .type("object")
                .property(
                        "port",
                        Schema.ref("The port the proxy listens on; auto picks a free one.", "portOrAuto")
                                .defaultValue(4000))
                .property(
                        "hold",
                        Schema.ref("How long a request waits for a restarting target.", "duration")
                                .defaultValue("30s"))
                .property(
                        "routes",
                        Schema.described("Where requests go: a map of path prefixes, each starting with /, to routes;"
                                        + " the longest matching prefix wins.")
                                .type("object")
                                .propertyNames(Schema.plain().pattern("^/"))
                                .additionalProperties(Schema.plain().ref("route")))
                .closed();
    }

    private static Schema proxy() {
        return Schema.described("The one-port reverse proxy: its port, how long requests wait, and its routes.")
                .ref("partialProxy")
                .required("routes");
    }

    private static Schema codegenJob() {
        return Schema.described("A code generation job: an OpenAPI document turned into a TypeScript file.")
                .type("object")
                .property(
                        "from",
                        Schema.described("Where the OpenAPI document comes from: { service, path }, { file } or"
                                        + " { command }.")
                                .oneOf(
                                        Schema.plain()
                                                .type("object")
                                                .property(
                                                        "service",
                                                        Schema.ref(
                                                                "The service that serves the document.", "serviceName"))
                                                .property(
                                                        "path",
                                                        Schema.described("The path the service serves the document at;"
                                                                        + " /openapi.json unless set.")
                                                                .type("string")
                                                                .pattern("^/"))
                                                .closed()
                                                .required("service"),
                                        Schema.plain()
                                                .type("object")
                                                .property(
                                                        "file",
                                                        Schema.described("A file holding the document, relative to the"
                                                                        + " project folder.")
                                                                .type("string")
                                                                .minLength(1))
                                                .closed()
                                                .required("file"),
                                        Schema.plain()
                                                .type("object")
                                                .property(
                                                        "command",
                                                        Schema.ref("A command that prints the document.", "command"))
                                                .closed()
                                                .required("command")))
                .property(
                        "out",
                        Schema.described("The TypeScript file to write.")
                                .type("string")
                                .minLength(1))
                .property(
                        "on",
                        Schema.described("Changes that rerun the job, as globs relative to the project folder.")
                                .type("array")
                                .items(Schema.plain().ref("glob")))
                .property(
                        "client",
                        Schema.described("Whether to also emit a typed fetch client.")
                                .type("boolean")
                                .defaultValue(true))
                .closed()
                .required("from", "out");
    }

    private static Schema discoverRule() {
        return Schema.described("A discover rule: every subfolder of dir that holds a manifest becomes a service, named"
                        + " after the manifest's name, else the folder.")
                .type("object")
                .property(
                        "dir",
                        Schema.described("The folder to scan; it must exist.")
                                .type("string")
                                .minLength(1))
                .property(
                        "manifest",
                        Schema.described("The file name, or list of file names, that marks a subfolder as a service.")
                                .oneOf(
                                        fileName(),
                                        Schema.plain().type("array").minItems(1).items(fileName()))
                                .defaultValue(List.of("fulcrum.yml", "farm.service.yaml")))
                .property(
                        "entry",
                        Schema.described("The entry points to run, as file names; the first found wins.")
                                .type("array")
                                .items(fileName())
                                .defaultValue(List.of("domain.ts", "domain.js")))
                .property("env", Schema.ref("Variables for each service; ${name} is the service's name.", "envMap"))
                .property(
                        "heartbeat",
                        Schema.ref(
                                "Each service must call the control API within this interval (its alive probe).",
                                "duration"))
                .property(
                        "group",
                        Schema.described("The services' group; by default the folder name of dir.")
                                .type("string")
                                .minLength(1))
                .property("depends_on", Schema.ref("What each discovered service waits for.", "dependsOn"))
                .closed()
                .required("dir");
    }

    private static Schema fileName() {
        return Schema.plain().type("string").minLength(1);
    }

    private static Schema profile() {
        return Schema.described("A profile: env, services and proxy maps merged over the main ones while it is active;"
                        + " maps merge key by key, other values replace.")
                .type("object")
                .property("env", Schema.ref("Variables merged over the project's env.", "envMap"))
                .property(
                        "services",
                        Schema.described("Keys merged over the main services of the same names; a profile may not add"
                                        + " services.")
                                .type("object")
                                .propertyNames(Schema.plain().ref("serviceName"))
                                .additionalProperties(Schema.plain().ref("partialService")))
                .property("proxy", Schema.ref("Keys merged over the main proxy.", "partialProxy"))
                .closed();
    }

    private static Schema integer(int minimum, @Nullable Integer maximum) {
        Schema integer = Schema.plain().type("integer").minimum(minimum);
        return maximum == null ? integer : integer.maximum(maximum);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    /** A schema object under construction; its keys come out in the order they are set. */
    private static final class Schema {

        private final ObjectNode node = JsonNodeFactory.instance.objectNode();

        private Schema() {}

        static Schema plain() {
            return new Schema();
        }

        static Schema described(String description) {
            Schema schema = new Schema();
            schema.node.put("description", description);
            return schema;
        }

        static Schema ref(String description, String definition) {
            return described(description).ref(definition);
        }

        Schema ref(String definition) {
            node.put("$ref", "#/$defs/" + definition);
            return this;
        }

        Schema type(String... types) {
            if (types.length == 1) {
                node.put("type", types[0]);
            } else {
                node.set("type", MAPPER.valueToTree(types));
            }
            return this;
        }

        Schema pattern(String regex) {
            node.put("pattern", regex);
            return this;
        }

        Schema minimum(int minimum) {
            node.put("minimum", minimum);
            return this;
        }

        Schema maximum(int maximum) {
            node.put("maximum", maximum);
            return this;
        }

        Schema minLength(int minLength) {
            node.put("minLength", minLength);
            return this;
        }

        Schema minItems(int minItems) {
            node.put("minItems", minItems);
            return this;
        }

        Schema uniqueItems() {
            node.put("uniqueItems", true);
            return this;
        }

        Schema constant(String value) {
            node.put("const", value);
            return this;
        }

        Schema enumOf(Object... values) {
            node.set("enum", MAPPER.valueToTree(Arrays.asList(values)));
            return this;
        }

        Schema examples(String... values) {
            node.set("examples", MAPPER.valueToTree(values));
            return this;
        }

        Schema defaultValue(Object value) {
            node.set("default", MAPPER.valueToTree(value));
            return this;
        }

        Schema items(Schema items) {
            node.set("items", items.node);
            return this;
        }

        Schema property(String name, Schema schema) {
            JsonNode properties = node.get("properties");
            ObjectNode map = properties instanceof ObjectNode existing ? existing : node.putObject("properties");
            map.set(name, schema.node);
            return this;
        }

        /** Rejects keys other than the properties. */
        Schema closed() {
            node.put("additionalProperties", false);
            return this;
        }

        Schema additionalProperties(Schema schema) {
            node.set("additionalProperties", schema.node);
            return this;
        }

        Schema propertyNames(Schema schema) {
            node.set("propertyNames", schema.node);
            return this;
        }

        Schema required(String... names) {
            node.set("required", MAPPER.valueToTree(names));
            return this;
        }

        /** Requires {@code needed} whenever one of {@code properties} is present. */
        Schema dependentRequired(String needed, String... properties) {
            ObjectNode map = node.putObject("dependentRequired");
            for (String property : properties) {
                map.putArray(property).add(needed);
            }
            return this;
        }

        Schema anyOf(Schema... schemas) {
            return combine("anyOf", schemas);
        }

        Schema oneOf(Schema... schemas) {
            return combine("oneOf", schemas);
        }

        Schema allOf(Schema... schemas) {
            return combine("allOf", schemas);
        }

        Schema not(Schema schema) {
            node.set("not", schema.node);
            return this;
        }

        Schema ifThen(Schema condition, Schema consequence) {
            node.set("if", condition.node);
            node.set("then", consequence.node);
            return this;
        }

        ObjectNode node() {
            return node;
        }

        private Schema combine(String keyword, Schema... schemas) {
            ArrayNode array = node.putArray(keyword);
            for (Schema schema : schemas) {
                array.add(schema.node);
            }
            return this;
        }
    }
}
