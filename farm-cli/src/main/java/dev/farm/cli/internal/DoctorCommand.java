package dev.farm.cli.internal;

import dev.farm.config.CodegenConfig;
import dev.farm.config.ConfigException;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.ServiceKind;
import dev.farm.config.WatchRule;
import dev.farm.process.LeftoverProcesses;
import dev.farm.process.PortHolder;
import dev.farm.watch.ChangeWatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code farm doctor}: what would keep {@code farm dev} from starting, checked before anything starts: the config,
 * processes an earlier farm left running, the ports the config names, the tools its commands need, and the inotify
 * limit. Each finding says how to fix it.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check what farm dev needs, without starting anything: the config; processes an earlier farm of this"
                    + " project left running (.farm/state.json); whether the ports of the config are free, or which"
                    + " process holds them; the tools on PATH (node, npm, python3, uvicorn, docker, setsid), flagging"
                    + " only those the config needs; and on Linux the inotify limit against the folders farm watches.",
            "Without a config only the tools are checked.",
            "",
            "Each line is one check: a tick when fine, a cross for a problem, ! for something to look at, - for a"
                    + " note. Every problem and warning comes with its fix."
        },
        footer = {
            "",
            "Exit codes: 0 nothing is wrong (warnings and notes may be printed); 4 a problem that would make farm dev"
                    + " fail to start a service (a port in use, a needed tool missing, an inotify limit too low):"
                    + " the same code farm dev would exit with, so 'farm doctor && farm dev' works; 3 the config is"
                    + " invalid (its problems are printed); 2 usage; 1 internal error."
        })
public final class DoctorCommand implements Callable<Integer> {

    /** How long one {@code TOOL --version} may take. */
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(5);

    /** The inotify limit the fix sets: what most distributions' IDE guides recommend. */
    static final int RECOMMENDED_WATCHES = 524288;

    /** Past this many folders the count stops: enough to tell any limit is too low. */
    private static final int COUNT_CAP = 2_000_000;

    private static final Path INOTIFY_LIMIT = Path.of("/proc/sys/fs/inotify/max_user_watches");

    @ParentCommand
    @Nullable
    RootCommand root;

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--json", description = "Print the findings as one JSON object instead of lines.")
    boolean json;

    @Option(
            names = "--fix",
            description = "Stop the processes an earlier farm of this project left running (SIGTERM to each"
                    + " process group, SIGKILL after 10 s), then check the rest.")
    boolean fix;

    private final Map<String, String> env;
    private final String osName;
    private final Path inotifyLimit;

    /** The doctor of this machine: its environment and operating system. */
    public DoctorCommand() {
        this(System.getenv(), System.getProperty("os.name", ""), INOTIFY_LIMIT);
    }

    /**
     * A doctor with the given environment (its {@code PATH} is where tools are looked for) and operating system.
     *
     * @param env the environment
     * @param osName the operating system's name, as {@code os.name} gives it
     * @param inotifyLimit the file that holds the inotify watch limit
     */
    DoctorCommand(Map<String, String> env, String osName, Path inotifyLimit) {
        this.env = Map.copyOf(env);
        this.osName = osName;
        this.inotifyLimit = inotifyLimit;
    }

    /** How a check came out. */
    enum Status {
        OK("✓", "ok"),
        PROBLEM("✗", "XX"),
        WARNING("!", "!!"),
        NOTE("-", "--");

        final String symbol;
        final String ascii;

        Status(String symbol, String ascii) {
            this.symbol = symbol;
            this.ascii = ascii;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One finding.
     *
     * @param status how the check came out
     * @param check what was checked: {@code config}, {@code leftovers}, {@code port}, {@code tool}, {@code inotify}
     * @param text what was found
     * @param fix what to do; empty when nothing needs doing
     */
    record Finding(Status status, String check, String text, String fix) {
        Finding {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(fix, "fix");
        }
    }

    @Override
    public Integer call() {
        RootCommand options = Objects.requireNonNull(root);
        List<Finding> findings = new ArrayList<>();
        Optional<FarmConfig> config = config(options, findings);
        LeftoverProcesses.Report leftovers = config.map(c -> leftovers(c, findings))
                .orElse(new LeftoverProcesses.Report(OptionalLong.empty(), List.of(), List.of()));
        config.ifPresent(c -> ports(c, leftovers, findings));
        tools(config, findings);
        inotify(config, findings);

        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        if (json) {
            out.println(json(findings));
        } else {
            print(out, findings, Terminal.color(options.noColor(), env));
        }
        out.flush();
        return findings.stream().anyMatch(f -> f.status() == Status.PROBLEM) ? Cli.SERVICE_FAILED : 0;
    }

    // ------------------------------------------------------------------------------------------------ config

    private Optional<FarmConfig> config(RootCommand options, List<Finding> findings) {
        try {
            FarmConfig config = options.loadConfig();
            findings.add(new Finding(
                    Status.OK,
                    "config",
                    config.source().getFileName() + ": " + config.services().size() + " service"
                            + (config.services().size() == 1 ? "" : "s") + " in " + config.directory(),
                    ""));
            return Optional.of(config);
        } catch (ConfigException e) {
            if (options.file == null
                    && e.problems().size() == 1
                    && e.problems().get(0).message().startsWith("no farm configuration in ")) {
                findings.add(new Finding(
                        Status.NOTE,
                        "config",
                        e.problems().get(0).message().replaceFirst(" \\(looked for.*", "")
                                + ": only the tools are checked",
                        ""));
                return Optional.empty();
            }
            throw e; // exit 3 with the config's own message
        }
    }

    // ------------------------------------------------------------------------------------------------ leftovers

    private LeftoverProcesses.Report leftovers(FarmConfig config, List<Finding> findings) {
        Path file = LeftoverProcesses.stateFile(config.directory());
        LeftoverProcesses.Report report = LeftoverProcesses.inspect(file);
        if (report.runningFarm().isPresent()) {
            findings.add(new Finding(
                    Status.NOTE,
                    "leftovers",
                    "farm is running this project (pid " + report.runningFarm().getAsLong() + ", "
                            + report.running().size() + " service process"
                            + (report.running().size() == 1 ? "" : "es") + "); the ports it holds are its own",
                    ""));
            return report;
        }
        if (report.stale().isEmpty()) {
            findings.add(new Finding(Status.OK, "leftovers", "no process left running by an earlier farm", ""));
            return report;
        }
        if (fix) {
            LeftoverProcesses.Report stopped = LeftoverProcesses.stop(file, ServiceConfig.DEFAULT_STOP_TIMEOUT);
            for (LeftoverProcesses.Entry entry : stopped.running()) {
                findings.add(new Finding(
                        Status.OK,
                        "leftovers",
                        "stopped " + entry.describe() + ", left running by an earlier farm",
                        ""));
            }
            return LeftoverProcesses.inspect(file);
        }
        for (LeftoverProcesses.Entry entry : report.stale()) {
            findings.add(new Finding(
                    Status.WARNING,
                    "leftovers",
                    entry.describe() + " is still running, left by an earlier farm of this project",
                    "farm doctor --fix stops it now (farm dev also stops it before it starts anything)"));
        }
        return report;
    }

    // ------------------------------------------------------------------------------------------------ ports

    private void ports(FarmConfig config, LeftoverProcesses.Report leftovers, List<Finding> findings) {
        Map<Integer, String> wanted = new LinkedHashMap<>();
        Map<Integer, ServiceConfig> owners = new LinkedHashMap<>();
        for (ServiceConfig service : config.services().values()) {
            if (service.port().isEmpty()) {
                continue;
            }
            if (service.autoPort()) {
                continue; // picked free when the config was read, and picked again if taken by then
            }
            if (service.kind() == ServiceKind.EXTERNAL) {
                findings.add(new Finding(
                        Status.NOTE,
                        "port",
                        "port " + service.port().getAsInt() + " (" + service.name()
                                + "): not checked, an external service is expected to hold it",
                        ""));
                continue;
            }
            wanted.merge(service.port().getAsInt(), service.name(), (a, b) -> a + ", " + b);
            owners.putIfAbsent(service.port().getAsInt(), service);
        }
        config.proxy()
                .filter(proxy -> !proxy.autoPort())
                .ifPresent(proxy -> wanted.merge(proxy.port(), "proxy", (a, b) -> a + ", " + b));
        for (Map.Entry<Integer, String> port : wanted.entrySet()) {
            port(port.getKey(), port.getValue(), owners.get(port.getKey()), leftovers, findings);
        }
    }

    private static void port(
            int port,
            String users,
            @Nullable ServiceConfig service,
            LeftoverProcesses.Report leftovers,
            List<Finding> findings) {
        String what = "port " + port + " (" + users + ")";
        Optional<PortHolder> holder = PortHolder.of(port);
        if (holder.isEmpty()) {
            findings.add(new Finding(Status.OK, "port", what + ": free", ""));
            return;
        }
        String by = holder.get().describe();
        OptionalLong pid = holder.get().pid();
        if (pid.isPresent() && leftovers.runningFarm().isPresent()) {
            Optional<LeftoverProcesses.Entry> own = recordedAncestor(pid.getAsLong(), leftovers.running());
            if (own.isPresent() || pid.getAsLong() == leftovers.runningFarm().getAsLong()) {
                findings.add(new Finding(
                        Status.OK, "port", what + ": in use by " + by + ", of the farm running this project", ""));
                return;
            }
        }
        if (pid.isPresent()) {
            Optional<LeftoverProcesses.Entry> stale = recordedAncestor(pid.getAsLong(), leftovers.stale());
            if (stale.isPresent()) {
                findings.add(new Finding(
                        Status.WARNING,
                        "port",
                        what + ": in use by " + by + ", of " + stale.get().describe() + " left by an earlier farm",
                        "farm doctor --fix stops it (farm dev also does before it starts)"));
                return;
            }
        }
        if (service != null && service.adopt()) {
            findings.add(new Finding(
                    Status.NOTE,
                    "port",
                    what + ": in use by " + by + "; " + service.name()
                            + " has adopt: true, so farm dev uses it as it is if its readiness probe passes",
                    ""));
            return;
        }
        String kill = pid.isPresent() ? "stop that process (kill " + pid.getAsLong() + ")" : "stop the process on it";
        findings.add(new Finding(
                Status.PROBLEM,
                "port",
                what + ": in use by " + by,
                kill + ", or give " + (service != null ? "services." + service.name() + ".port" : "proxy.port")
                        + " another port (auto lets farm pick a free one)"));
    }

    /** The recorded process that is the holder or one of its ancestors: {@code sh -c} started the one listening. */
    private static Optional<LeftoverProcesses.Entry> recordedAncestor(
            long pid, List<LeftoverProcesses.Entry> recorded) {
        Map<Long, LeftoverProcesses.Entry> byPid = new LinkedHashMap<>();
        recorded.forEach(entry -> byPid.put(entry.pid(), entry));
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        for (int depth = 0; process.isPresent() && depth < 64; depth++) {
            LeftoverProcesses.Entry entry = byPid.get(process.get().pid());
            if (entry != null) {
                return Optional.of(entry);
            }
            process = process.get().parent();
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ tools

    /** A tool farm's commands commonly need, and where Debian packages it. */
    private record Tool(String name, String debianPackage, String elsewhere) {}

    private static final List<Tool> TOOLS = List.of(
            new Tool("node", "nodejs", "https://nodejs.org"),
            new Tool("npm", "npm", "it comes with Node.js, https://nodejs.org"),
            new Tool("python3", "python3", "https://www.python.org"),
            new Tool("python", "python-is-python3", "https://www.python.org"),
            new Tool("uvicorn", "python3-uvicorn", "pip install uvicorn"),
            new Tool("docker", "docker.io", "https://docs.docker.com/get-docker/"),
            new Tool("setsid", "util-linux", "the util-linux package"));

    /** Which tools a program named in a command needs. */
    private static final Map<String, List<String>> NEEDS = Map.ofEntries(
            Map.entry("node", List.of("node")),
            Map.entry("npm", List.of("npm", "node")),
            Map.entry("npx", List.of("npm", "node")),
            Map.entry("tsx", List.of("node")),
            Map.entry("vite", List.of("node")),
            Map.entry("python3", List.of("python3")),
            Map.entry("pip3", List.of("python3")),
            Map.entry("python", List.of("python")),
            Map.entry("pip", List.of("python3")),
            Map.entry("uvicorn", List.of("uvicorn", "python3")),
            Map.entry("docker", List.of("docker")),
            Map.entry("docker-compose", List.of("docker")));

    private void tools(Optional<FarmConfig> config, List<Finding> findings) {
        Map<String, Set<String>> neededBy = config.map(DoctorCommand::neededBy).orElse(new LinkedHashMap<>());
        boolean linux = linux();
        if (linux) {
            neededBy.computeIfAbsent("setsid", k -> new LinkedHashSet<>())
                    .add("farm itself, to run each service in its own process group");
        }
        ExecutorService versions = Executors.newFixedThreadPool(TOOLS.size(), daemonThreads());
        try {
            List<CompletableFuture<Finding>> results = new ArrayList<>();
            for (Tool tool : TOOLS) {
                if (tool.name().equals("python") && !neededBy.containsKey("python")) {
                    continue; // python3 is the one to have; plain python only when a command says python
                }
                if (tool.name().equals("setsid") && !linux) {
                    results.add(CompletableFuture.completedFuture(new Finding(
                            Status.NOTE,
                            "tool",
                            "setsid: not checked (Linux only; here farm stops a service's process tree by walking it)",
                            "")));
                    continue;
                }
                Set<String> needed = neededBy.getOrDefault(tool.name(), Set.of());
                results.add(CompletableFuture.supplyAsync(() -> tool(tool, needed, config.isPresent()), versions));
            }
            results.forEach(result -> findings.add(result.join()));
        } finally {
            versions.shutdownNow();
        }
    }

    private Finding tool(Tool tool, Set<String> needed, boolean haveConfig) {
        Optional<Path> found = which(tool.name());
        if (found.isPresent()) {
            String version = version(found.get());
            return new Finding(
                    Status.OK,
                    "tool",
                    tool.name() + ": " + found.get() + (version.isEmpty() ? "" : " (" + version + ")"),
                    "");
        }
        String install = linux()
                ? "sudo apt-get install " + tool.debianPackage() + " (Debian, Ubuntu; elsewhere: " + tool.elsewhere()
                        + ")"
                : tool.elsewhere();
        if (needed.isEmpty()) {
            return new Finding(
                    Status.NOTE,
                    "tool",
                    tool.name() + ": not on PATH" + (haveConfig ? " (this config does not need it)" : ""),
                    "");
        }
        return new Finding(
                Status.PROBLEM,
                "tool",
                tool.name() + ": not on PATH, needed by " + String.join(", ", needed),
                "install it: " + install + "; or put its folder on PATH");
    }

    /** The tools each service's commands name, with who needs them: {@code service 'web' (npm run dev)}. */
    static Map<String, Set<String>> neededBy(FarmConfig config) {
        Map<String, Set<String>> needed = new LinkedHashMap<>();
        String source = config.source().getFileName().toString();
        if (source.endsWith(".js") || source.endsWith(".ts") || source.endsWith(".mjs")) {
            needed.computeIfAbsent("node", k -> new LinkedHashSet<>()).add("the config " + source);
        }
        for (ServiceConfig service : config.services().values()) {
            List<dev.farm.config.Command> commands = new ArrayList<>();
            service.command().ifPresent(commands::add);
            service.stop().ifPresent(commands::add);
            service.setup().ifPresent(commands::add);
            for (Optional<ProbeConfig> probe : List.of(service.ready(), service.alive())) {
                if (probe.isPresent() && probe.get().check() instanceof ProbeConfig.Exec exec) {
                    commands.add(exec.command());
                }
            }
            for (WatchRule rule : service.watch()) {
                if (rule.action() instanceof WatchRule.Run run) {
                    commands.add(run.command());
                }
            }
            for (dev.farm.config.Command command : commands) {
                for (String program : programs(command)) {
                    for (String tool : NEEDS.getOrDefault(program, List.of())) {
                        needed.computeIfAbsent(tool, k -> new LinkedHashSet<>())
                                .add("service '" + service.name() + "' (" + text(command) + ")");
                    }
                }
            }
        }
        for (CodegenConfig job : config.codegen().values()) {
            if (job.from() instanceof CodegenConfig.FromCommand from) {
                for (String program : programs(from.command())) {
                    for (String tool : NEEDS.getOrDefault(program, List.of())) {
                        needed.computeIfAbsent(tool, k -> new LinkedHashSet<>())
                                .add("codegen '" + job.name() + "' (" + text(from.command()) + ")");
                    }
                }
            }
        }
        return needed;
    }

    /** Every word of a command that could be a program, without its folder: a heuristic, but a generous one. */
    static Set<String> programs(dev.farm.config.Command command) {
        List<String> words = new ArrayList<>();
        if (command instanceof dev.farm.config.Command.Shell shell) {
            for (String word : shell.script().split("[\\s;&|()`'\"<>]+", -1)) {
                words.add(word);
            }
        } else {
            words.addAll(((dev.farm.config.Command.Exec) command).argv());
        }
        Set<String> programs = new LinkedHashSet<>();
        for (String word : words) {
            String name = word.substring(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1);
            if (name.toLowerCase(Locale.ROOT).endsWith(".exe")) {
                name = name.substring(0, name.length() - 4);
            }
            if (!name.isEmpty()) {
                programs.add(name);
            }
        }
        return programs;
    }

    private static String text(dev.farm.config.Command command) {
        String text = command instanceof dev.farm.config.Command.Shell shell
                ? shell.script()
                : String.join(" ", ((dev.farm.config.Command.Exec) command).argv());
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** Finds a program on this doctor's {@code PATH}, with Windows' {@code PATHEXT} extensions. */
    Optional<Path> which(String program) {
        return Programs.which(env, windows(), program);
    }

    /** The first line {@code PROGRAM --version} prints, or empty when it says nothing in time. */
    private String version(Path program) {
        ProcessBuilder builder = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return "";
        }
        try {
            process.getOutputStream().close();
            String[] text = {""};
            Thread reader = daemonThreads().newThread(() -> {
                try (InputStream in = process.getInputStream()) {
                    text[0] = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    // nothing to show
                }
            });
            reader.start();
            if (!process.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return "";
            }
            reader.join(VERSION_TIMEOUT.toMillis());
            for (String line : text[0].split("\\R", -1)) {
                if (!line.isBlank()) {
                    String trimmed = line.strip();
                    return trimmed.length() > 80 ? trimmed.substring(0, 77) + "..." : trimmed;
                }
            }
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (IOException e) {
            return "";
        } finally {
            process.destroyForcibly();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "farm-cli-doctor-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ------------------------------------------------------------------------------------------------ inotify

    private void inotify(Optional<FarmConfig> config, List<Finding> findings) {
        if (!linux()) {
            findings.add(new Finding(
                    Status.NOTE,
                    "inotify",
                    "inotify: not checked (Linux only; " + osName + " has no such per-user watch limit)",
                    ""));
            return;
        }
        if (config.isEmpty()) {
            return;
        }
        Set<Path> roots = watchRoots(config.get());
        if (roots.isEmpty()) {
            findings.add(new Finding(Status.OK, "inotify", "inotify: the config watches no files", ""));
            return;
        }
        long limit;
        // One read from offset 0: Files.readString reads a size-0 /proc file a byte first, and some kernels answer
        // a sysctl read at offset 1 with end-of-file, which made 192530 read as 1.
        try (InputStream in = Files.newInputStream(inotifyLimit)) {
            limit = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            findings.add(new Finding(
                    Status.NOTE, "inotify", "inotify: cannot read " + inotifyLimit + " (" + e.getMessage() + ")", ""));
            return;
        }
        long folders = countFolders(roots);
        String counted = "inotify: " + (folders >= COUNT_CAP ? "over " : "") + folders + " folder"
                + (folders == 1 ? "" : "s") + " to watch, limit " + limit + " (fs.inotify.max_user_watches)";
        String raise = "sudo sysctl fs.inotify.max_user_watches=" + RECOMMENDED_WATCHES + "; to keep it after a"
                + " reboot: echo fs.inotify.max_user_watches=" + RECOMMENDED_WATCHES
                + " | sudo tee /etc/sysctl.d/60-inotify.conf";
        if (folders > limit) {
            findings.add(new Finding(Status.PROBLEM, "inotify", counted + ": file changes would go unseen", raise));
        } else if (folders * 2 > limit) {
            findings.add(new Finding(
                    Status.WARNING,
                    "inotify",
                    counted + ": more than half of it, and editors and other watchers share the same limit",
                    raise));
        } else {
            findings.add(new Finding(Status.OK, "inotify", counted, ""));
        }
    }

    /** The folders farm dev watches: every watch rule's base, and the project for codegen jobs with {@code on}. */
    private static Set<Path> watchRoots(FarmConfig config) {
        Set<Path> roots = new LinkedHashSet<>();
        for (ServiceConfig service : config.services().values()) {
            for (WatchRule rule : service.watch()) {
                roots.add(rule.base().toAbsolutePath().normalize());
            }
        }
        for (CodegenConfig job : config.codegen().values()) {
            if (!job.on().isEmpty()) {
                roots.add(config.directory().toAbsolutePath().normalize());
            }
        }
        // A root inside another is watched once.
        Set<Path> outer = new LinkedHashSet<>();
        for (Path root : roots) {
            if (roots.stream().noneMatch(other -> !other.equals(root) && root.startsWith(other))) {
                outer.add(root);
            }
        }
        return outer;
    }

    /** Counts the folders under the roots that a watcher registers: all but farm's default ignores. */
    static long countFolders(Set<Path> roots) {
        Set<String> ignored = new HashSet<>(ChangeWatcher.DEFAULT_IGNORES);
        long[] count = {0};
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        Path name = dir.getFileName();
                        if (!dir.equals(root) && name != null && ignored.contains(name.toString())) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        count[0]++;
                        return count[0] >= COUNT_CAP ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // counted what could be read
            }
        }
        return count[0];
    }

    // ------------------------------------------------------------------------------------------------ output

    private boolean linux() {
        return osName.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private boolean windows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private static void print(PrintWriter out, List<Finding> findings, boolean color) {
        boolean unicode = unicodeOutput();
        for (Finding finding : findings) {
            String symbol = unicode ? finding.status().symbol : finding.status().ascii;
            if (color) {
                String paint = switch (finding.status()) {
                    case OK -> GREEN;
                    case PROBLEM -> RED;
                    case WARNING -> YELLOW;
                    case NOTE -> DIM;
                };
                symbol = paint + symbol + RESET;
            }
            out.println(symbol + " " + finding.text());
            if (!finding.fix().isEmpty()) {
                out.println("    fix: " + finding.fix());
            }
        }
        long problems =
                findings.stream().filter(f -> f.status() == Status.PROBLEM).count();
        long warnings =
                findings.stream().filter(f -> f.status() == Status.WARNING).count();
        out.println(
                problems == 0 && warnings == 0
                        ? "farm doctor: nothing is wrong"
                        : "farm doctor: " + plural(problems, "problem") + ", " + plural(warnings, "warning"));
    }

    private static String plural(long count, String word) {
        return count + " " + word + (count == 1 ? "" : "s");
    }

    /** Whether standard output can show ✓ and ✗; otherwise plain ASCII marks. */
    private static boolean unicodeOutput() {
        String encoding =
                System.getProperty("stdout.encoding", Charset.defaultCharset().name());
        return encoding.toUpperCase(Locale.ROOT).replace("-", "").startsWith("UTF");
    }

    static String json(List<Finding> findings) {
        StringBuilder out = new StringBuilder("{\"ok\": ");
        out.append(findings.stream().noneMatch(f -> f.status() == Status.PROBLEM));
        out.append(", \"checks\": [");
        for (int i = 0; i < findings.size(); i++) {
            Finding finding = findings.get(i);
            out.append(i == 0 ? "\n  " : ",\n  ");
            out.append("{\"check\": ").append(quote(finding.check()));
            out.append(", \"status\": ").append(quote(finding.status().key()));
            out.append(", \"message\": ").append(quote(finding.text()));
            if (!finding.fix().isEmpty()) {
                out.append(", \"fix\": ").append(quote(finding.fix()));
            }
            out.append('}');
        }
        return out.append(findings.isEmpty() ? "]}" : "\n]}").toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
