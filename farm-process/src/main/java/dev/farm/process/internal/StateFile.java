package dev.farm.process.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's {@code .farm/state.json}: which processes the running farm started, so that the next farm finds those
 * an earlier one left behind (it was SIGKILLed, crashed, or lost its machine's power) and stops them.
 *
 * <p>Each service's entry records its pid, process group, command, port and a start token that identifies that one
 * incarnation of the process, so a pid the system has since given to another process is never mistaken for it. The
 * file also names its owner, the farm process that wrote it, with the owner's own start token, so a second farm can
 * tell that the project is already running.
 *
 * <p>Every change rewrites the whole file atomically: a temporary file in the same folder, flushed to disk, then
 * renamed over the old one, so a reader sees the old file or the new one, never half of one. Reading is tolerant: a
 * missing file means nothing is recorded; a malformed one is logged at WARN and read as empty. A failed write is
 * logged at WARN (later ones at DEBUG) and otherwise ignored: the file is a safety net, and farm runs without it.
 *
 * <p>The format, version 1; members may come in any order and unknown members are ignored:
 *
 * <pre>{@code
 * {
 *   "version": 1,
 *   "owner": {"pid": 4100, "startTime": "0214eabd-d571-4f10-be99-d5e3e4de76bc:881234"},
 *   "services": [
 *     {"service": "api", "pid": 4242, "pgid": 4242, "startTime": "0214eabd-...:881301",
 *      "command": "uvicorn main:app", "port": 8000}
 *   ]
 * }
 * }</pre>
 *
 * <p>Thread-safe; changes are serialized per instance. Two farms writing one file are not coordinated: the owner
 * check before a start is what keeps a second farm away.
 */
final class StateFile {

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

    /** The version this class writes and reads. */
    static final int VERSION = 1;

    private final Path file;
    private final Owner owner;
    private boolean writeFailed;

    /**
     * One service's process as the running farm started it.
     *
     * @param service the service's name
     * @param pid its process id
     * @param pgid its process group id: equal to {@code pid} when the service leads its own group
     * @param startTime the process's {@linkplain #startToken(long) start token}; empty when unknown, and then the
     *     entry never matches a live process
     * @param command the command line, for people reading the file or a report
     * @param port the port the service listens on, if it has one
     */
    record Entry(String service, long pid, long pgid, String startTime, String command, OptionalInt port) {
        Entry {
            Objects.requireNonNull(service, "service");
            if (service.isEmpty()) {
                throw new IllegalArgumentException("service: \"\" (expected: a service name)");
            }
            if (pid <= 0) {
                throw new IllegalArgumentException("pid: " + pid + " (expected: > 0)");
            }
            if (pgid <= 0) {
                throw new IllegalArgumentException("pgid: " + pgid + " (expected: > 0)");
            }
            Objects.requireNonNull(startTime, "startTime");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(port, "port");
            if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
                throw new IllegalArgumentException("port: " + port.getAsInt() + " (expected: 1-65535)");
            }
        }

        /** For messages: {@code 'api' (pid 4242, uvicorn main:app)}. */
        String describe() {
            return "'" + service + "' (pid " + pid + (command.isEmpty() ? "" : ", " + command) + ")";
        }
    }

    /**
     * The farm process that wrote the file.
     *
     * @param pid its process id
     * @param startTime its start token; empty when unknown
     */
    record Owner(long pid, String startTime) {
        Owner {
            if (pid <= 0) {
                throw new IllegalArgumentException("pid: " + pid + " (expected: > 0)");
            }
            Objects.requireNonNull(startTime, "startTime");
        }

        /** Tells whether this very process, same incarnation, is alive. */
        boolean alive() {
            return isIncarnation(pid, startTime);
        }
    }

    /**
     * What the file holds.
     *
     * @param owner the farm that last wrote it; empty when the file is missing or malformed
     * @param entries the services' processes
     */
    record Contents(Optional<Owner> owner, List<Entry> entries) {
        static final Contents EMPTY = new Contents(Optional.empty(), List.of());

        Contents {
            Objects.requireNonNull(owner, "owner");
            entries = List.copyOf(entries);
        }
    }

    /**
     * A state file owned by this process.
     *
     * @param file where it lives, usually {@link #in(Path)}; its folder is created on the first write
     */
    StateFile(Path file) {
        this(file, currentProcess());
    }

    /** A state file that names the given owner when it is written. */
    StateFile(Path file, Owner owner) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** The state file of a project: {@code PROJECT/.farm/state.json}. */
    static Path in(Path projectDirectory) {
        return projectDirectory.resolve(".farm").resolve("state.json");
    }

    /** The file. */
    Path file() {
        return file;
    }

    /** This process as an owner, with its start token. */
    static Owner currentProcess() {
        long pid = ProcessHandle.current().pid();
        return new Owner(pid, startToken(pid).orElse(""));
    }

    // ---------------------------------------------------------------------------------------------- changes

    /** Records a service's process, replacing any earlier entry of the same service. */
    synchronized void put(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        update(entries -> {
            List<Entry> kept = new ArrayList<>();
            for (Entry existing : entries) {
                if (!existing.service().equals(entry.service())) {
                    kept.add(existing);
                }
            }
            kept.add(entry);
            return kept;
        });
    }

    /** Forgets a service's process once it has stopped; nothing happens when it has no entry. */
    synchronized void remove(String service) {
        Objects.requireNonNull(service, "service");
        update(entries -> {
            List<Entry> kept = new ArrayList<>(entries);
            kept.removeIf(existing -> existing.service().equals(service));
            return kept;
        });
    }

    /** Forgets exactly these entries (equal in every field), keeping any that changed since they were read. */
    synchronized void removeAll(Collection<Entry> gone) {
        List<Entry> copy = List.copyOf(gone);
        update(entries -> {
            List<Entry> kept = new ArrayList<>(entries);
            kept.removeAll(copy);
            return kept;
        });
    }

    private void update(UnaryOperator<List<Entry>> change) {
        // Read again each time: whatever an earlier farm left is kept until it has been dealt with.
        List<Entry> entries = change.apply(load(false).entries());
        try {
            write(render(owner, entries));
            writeFailed = false;
        } catch (IOException | RuntimeException e) {
            if (writeFailed) {
                LOG.debug("cannot write {}: {}", file, e.toString());
            } else {
                writeFailed = true;
                LOG.warn(
                        "cannot write farm's state file {}: {}. If farm is killed, the next start cannot find and"
                                + " stop the processes it leaves behind. Check that the folder is writable.",
                        file,
                        e.toString());
            }
        }
    }

    private void write(String json) throws IOException {
        Path folder = Objects.requireNonNull(file.getParent(), "a state file has a folder");
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true); // the rename must not land before the content after a power cut
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the file's text: one service per line, so it stays readable and diffs well. */
    static String render(Owner owner, List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"version\": ").append(VERSION).append(",\n");
        out.append("  \"owner\": {\"pid\": ").append(owner.pid()).append(", \"startTime\": ");
        Json.quote(out, owner.startTime()).append("},\n");
        out.append("  \"services\": [");
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            out.append(i == 0 ? "\n" : ",\n");
            out.append("    {\"service\": ");
            Json.quote(out, entry.service());
            out.append(", \"pid\": ").append(entry.pid());
            out.append(", \"pgid\": ").append(entry.pgid());
            out.append(", \"startTime\": ");
            Json.quote(out, entry.startTime());
            out.append(", \"command\": ");
            Json.quote(out, entry.command());
            if (entry.port().isPresent()) {
                out.append(", \"port\": ").append(entry.port().getAsInt());
            }
            out.append('}');
        }
        out.append(entries.isEmpty() ? "]\n" : "\n  ]\n");
        return out.append("}\n").toString();
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** Deletes the file once no service is recorded in it: farm stopped everything it started. */
    synchronized void forgetIfEmpty() {
        if (contents().entries().isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    /** The recorded services' processes; empty when the file is missing or malformed (then logged at WARN). */
    List<Entry> read() {
        return load(true).entries();
    }

    /** The pid of the farm that last wrote the file; empty when the file is missing or malformed. */
    Optional<Long> owner() {
        return load(true).owner().map(Owner::pid);
    }

    /** Tells whether the farm that last wrote the file still runs: its pid is alive with the same start token. */
    boolean ownerAlive() {
        return load(true).owner().map(Owner::alive).orElse(false);
    }

    /** The owner and the entries, read together from one version of the file. */
    Contents contents() {
        return load(true);
    }

    private Contents load(boolean warn) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        } catch (IOException e) {
            // Unreadable or not UTF-8 (MalformedInputException).
            report(warn, e.toString());
            return Contents.EMPTY;
        }
        try {
            return parse(text);
        } catch (Json.MalformedException e) {
            report(warn, e.getMessage());
            return Contents.EMPTY;
        }
    }

    private void report(boolean warn, @Nullable String problem) {
        if (warn) {
            LOG.warn(
                    "farm's state file {} cannot be read: {}. farm cannot tell which processes an earlier run left"
                            + " behind; delete it; farm rewrites it at the next start.",
                    file,
                    problem);
        } else {
            LOG.debug("replacing the unreadable state file {}: {}", file, problem);
        }
    }

    /** Parses the file's text. */
    static Contents parse(String text) throws Json.MalformedException {
        Object root = Json.parse(text);
        Map<String, @Nullable Object> top = object(root, "the file");
        Object version = top.get("version");
        if (version == null) {
            throw new Json.MalformedException("no \"version\" (expected: " + VERSION + ")");
        }
        if (!(version instanceof BigDecimal number) || number.compareTo(BigDecimal.valueOf(VERSION)) != 0) {
            throw new Json.MalformedException("version " + Json.describe(version) + " is not supported (this farm"
                    + " reads version " + VERSION + "; was the file written by another farm version?)");
        }
        Optional<Owner> owner = Optional.empty();
        Object ownerValue = top.get("owner");
        if (ownerValue != null) {
            Map<String, @Nullable Object> fields = object(ownerValue, "owner");
            owner = Optional.of(new Owner(positive(fields, "pid", "owner"), string(fields, "startTime", "owner")));
        }
        Object services = top.get("services");
        if (!(services instanceof List<?> list)) {
            throw new Json.MalformedException(
                    "services: expected an array of services, found " + describeMissing(top, "services"));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "services[" + i + "]";
            Map<String, @Nullable Object> fields = object(list.get(i), where);
            String service = string(fields, "service", where);
            if (service.isEmpty()) {
                throw new Json.MalformedException(where + ".service: expected a service name, found \"\"");
            }
            OptionalInt port = OptionalInt.empty();
            if (fields.get("port") != null) {
                long value = integer(fields, "port", where);
                if (value < 1 || value > 65535) {
                    throw new Json.MalformedException(where + ".port: expected 1-65535, found " + value);
                }
                port = OptionalInt.of((int) value);
            }
            entries.add(new Entry(
                    service,
                    positive(fields, "pid", where),
                    positive(fields, "pgid", where),
                    string(fields, "startTime", where),
                    string(fields, "command", where),
                    port));
        }
        return new Contents(owner, entries);
    }

    @SuppressWarnings("unchecked") // Json.parse makes every object a Map<String, Object>
    private static Map<String, @Nullable Object> object(@Nullable Object value, String where)
            throws Json.MalformedException {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, @Nullable Object>) map;
        }
        throw new Json.MalformedException(where + ": expected an object, found " + Json.describe(value));
    }

    private static String string(Map<String, @Nullable Object> fields, String name, String where)
            throws Json.MalformedException {
        if (fields.get(name) instanceof String value) {
            return value;
        }
        throw new Json.MalformedException(
                where + "." + name + ": expected a string, found " + describeMissing(fields, name));
    }

    private static long positive(Map<String, @Nullable Object> fields, String name, String where)
            throws Json.MalformedException {
        long value = integer(fields, name, where);
        if (value <= 0) {
            throw new Json.MalformedException(where + "." + name + ": expected a positive integer, found " + value);
        }
        return value;
    }

    private static long integer(Map<String, @Nullable Object> fields, String name, String where)
            throws Json.MalformedException {
        if (fields.get(name) instanceof BigDecimal number) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                // not whole, or too large: reported below
            }
        }
        throw new Json.MalformedException(
                where + "." + name + ": expected an integer, found " + describeMissing(fields, name));
    }

    private static String describeMissing(Map<String, @Nullable Object> fields, String name) {
        return fields.containsKey(name) ? Json.describe(fields.get(name)) : "nothing";
    }

    // ------------------------------------------------------------------------------------------ start tokens

    /**
     * Returns a token that identifies one incarnation of a process: two processes that ever had the same pid have
     * different tokens. On Linux it is the boot id ({@code /proc/sys/kernel/random/boot_id}) and the process's start
     * time in clock ticks after boot (field 22 of {@code /proc/PID/stat}); elsewhere, its start instant in
     * milliseconds as {@link ProcessHandle.Info#startInstant()} gives it.
     *
     * @return the token; empty when the process is gone or the platform cannot tell
     */
    static Optional<String> startToken(long pid) {
        if (ProcessTree.PROCFS) {
            return ProcessTree.stat(pid)
                    .map(stat ->
                            Boot.ID.isEmpty() ? Long.toString(stat.starttime()) : Boot.ID + ":" + stat.starttime());
        }
        return ProcessHandle.of(pid)
                .flatMap(process -> process.info().startInstant())
                .map(start -> Long.toString(start.toEpochMilli()));
    }

    /** Tells whether a process runs (and is not a zombie) with the given start token; never for an empty token. */
    static boolean isIncarnation(long pid, String startToken) {
        if (startToken.isEmpty()) {
            return false;
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessTree::isAlive).orElse(false);
        return alive && startToken(pid).map(startToken::equals).orElse(false);
    }

    /** This boot of the machine, read once. */
    private static final class Boot {
        static final String ID = read();

        private static String read() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                        .trim();
            } catch (IOException | RuntimeException e) {
                LOG.debug("no boot id: {}", e.toString());
            }
            // The boot time in seconds since the epoch, from /proc/stat's "btime" line.
            try {
                for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("btime ")) {
                        return "btime-" + line.substring("btime ".length()).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("no boot time: {}", e.toString());
            }
            return "";
        }
    }
}
