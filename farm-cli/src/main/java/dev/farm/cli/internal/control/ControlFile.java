package dev.farm.cli.internal.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code .farm/run/control.json}: where the control API of the farm running a project listens, its bearer token, and
 * which process that farm is (pid and start time, so a file left by a dead farm is never taken for a live one, even
 * when its pid has been reused).
 *
 * @param url the API's base URL, such as {@code http://127.0.0.1:41234}
 * @param token the bearer token every request must carry
 * @param pid the farm process's id
 * @param processStart when that process started, as the platform tells it; empty where it cannot
 * @param project the project's name
 * @param config the config file it runs
 */
public record ControlFile(
        URI url, String token, long pid, Optional<Instant> processStart, String project, Path config) {

    /** Where the file lives, relative to the project folder. */
    public static final Path RELATIVE = Path.of(".farm", "run", "control.json");

    /** Only farm dev writes the file; farm ps reads it with the streaming parser alone, which loads fast. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * Returns the file's location in a project.
     *
     * @param project the project folder
     * @return the path
     */
    public static Path in(Path project) {
        return project.resolve(RELATIVE);
    }

    /**
     * Describes this process as the farm that serves the given API.
     *
     * @param url the API's base URL
     * @param token its token
     * @param project the project's name
     * @param config the config file
     * @return the description
     */
    public static ControlFile forThisProcess(URI url, String token, String project, Path config) {
        ProcessHandle self = ProcessHandle.current();
        return new ControlFile(url, token, self.pid(), self.info().startInstant(), project, config);
    }

    /**
     * Tells whether the farm this file names is still the process that wrote it.
     *
     * @return false when that pid has ended or now belongs to another process
     */
    public boolean ownerAlive() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        if (processStart.isEmpty()) {
            return true; // the platform cannot tell start times: the connection will tell
        }
        Optional<Instant> now = process.get().info().startInstant();
        return now.isEmpty() || now.get().equals(processStart.get());
    }

    /**
     * Writes the file so that only this user can read it (mode 0600 where the file system has POSIX permissions):
     * written whole to a temporary file first, then moved over any earlier one.
     *
     * @param file where to write
     * @throws UncheckedIOException when it cannot be written
     */
    public void write(Path file) {
        ObjectNode node = Writer.JSON.createObjectNode();
        node.put("version", 1);
        node.put("url", url.toString());
        node.put("token", token);
        node.put("pid", pid);
        processStart.ifPresent(start -> node.put("process_start", start.toString()));
        node.put("project", project);
        node.put("config", config.toString());
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve(file.getFileName() + "." + pid + ".tmp");
            Files.deleteIfExists(temp);
            createPrivate(temp);
            Files.write(temp, Writer.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivate(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(owner);
            Files.createFile(file, attribute);
        } else {
            Files.createFile(file); // Windows: the user's profile ACLs apply
        }
    }

    /**
     * Deletes the file if it is this farm's, leaving one another farm wrote since alone.
     *
     * @param file the file
     */
    public void deleteIfOurs(Path file) {
        try {
            Optional<ControlFile> current = read(file);
            if (current.isPresent()
                    && current.get().pid == pid
                    && current.get().token.equals(token)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | ControlFileException e) {
            // unreadable: not ours to remove
        }
    }

    /**
     * Reads a control file.
     *
     * @param file the file
     * @return the content, or empty when there is no file
     * @throws IOException when it cannot be read
     * @throws ControlFileException when it is not a control file farm wrote
     */
    public static Optional<ControlFile> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new ControlFileException(file + " cannot be read: another user's farm runs this project.", e);
        }
        try {
            java.util.Map<String, String> fields = new java.util.HashMap<>();
            try (JsonParser parser = FACTORY.createParser(bytes)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value.isStructStart()) {
                        parser.skipChildren();
                    } else if (value != JsonToken.VALUE_NULL) {
                        fields.put(name, parser.getText());
                    }
                }
            }
            String url = fields.getOrDefault("url", "");
            String token = fields.getOrDefault("token", "");
            long pid;
            try {
                pid = Long.parseLong(fields.getOrDefault("pid", "-1"));
            } catch (NumberFormatException e) {
                pid = -1;
            }
            if (url.isEmpty() || token.isEmpty() || pid <= 0) {
                throw new ControlFileException(
                        file + " is not a farm control file (no url, token or pid). Delete it.", null);
            }
            Optional<Instant> start = fields.containsKey("process_start")
                    ? Optional.of(Instant.parse(fields.get("process_start")))
                    : Optional.empty();
            return Optional.of(new ControlFile(
                    URI.create(url),
                    token,
                    pid,
                    start,
                    fields.getOrDefault("project", ""),
                    Path.of(fields.getOrDefault("config", ""))));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ControlFileException control) {
                throw control;
            }
            throw new ControlFileException(file + " is damaged (" + e.getMessage() + "). Delete it.", e);
        }
    }

    /**
     * Finds the control file of the project a folder belongs to: the folder's own, or the nearest parent's.
     *
     * @param start where to look from
     * @return the file's path, or empty when neither the folder nor a parent has one
     */
    public static Optional<Path> find(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = in(dir);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Thrown for a file that is there but cannot be used. */
    public static final class ControlFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ControlFileException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }
}
