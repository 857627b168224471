package dev.farm.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's stop command written as a small shell script, for the {@link Reaper} to run if farm dies: a daemon
 * ({@code pg_ctl start}) runs outside every process group farm registers, so killing the groups leaves it running,
 * and only its stop command ends it.
 *
 * <p>The script changes to the service's folder and runs the command with exactly the service's environment (the
 * file is readable by its owner only, since the environment may hold secrets), bounded by the stop timeout where
 * coreutils' {@code timeout} is installed.
 */
final class DaemonStopScript {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonStopScript.class);

    private DaemonStopScript() {}

    /**
     * Writes the script into a new temporary file.
     *
     * @return the file, or empty when it cannot be written (then logged: the daemon outlives a killed farm)
     */
    static Optional<Path> write(
            String service, Path folder, Map<String, String> env, List<String> command, Duration stopTimeout) {
        try {
            Path file = Files.createTempFile(
                    "farm-stop-" + service.replaceAll("[^A-Za-z0-9._-]", "_") + "-",
                    ".sh",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            if (file.toString().contains("\n")) {
                Files.deleteIfExists(file);
                return Optional.empty();
            }
            Files.writeString(file, text(service, folder, env, command, stopTimeout), StandardCharsets.UTF_8);
            return Optional.of(file);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn(
                    "{}: cannot write its stop command for the reaper; if farm is killed, the daemon keeps running: {}",
                    service,
                    e.toString());
            return Optional.empty();
        }
    }

    /** The script's text. */
    static String text(
            String service, Path folder, Map<String, String> env, List<String> command, Duration stopTimeout) {
        StringBuilder script = new StringBuilder()
                .append("# farm: stops the daemon '")
                .append(service.replace("\n", " "))
                .append("' when farm died without stopping it. Written by farm, run by its reaper.\n")
                .append("cd ")
                .append(quote(folder.toString()))
                .append(" || exit 1\nexec env -i");
        env.forEach((key, value) -> script.append(' ').append(quote(key + "=" + value)));
        Optional<Path> timeout = Optional.of(Path.of("/usr/bin/timeout")).filter(Files::isExecutable);
        timeout.ifPresent(program -> script.append(' ')
                .append(quote(program.toString()))
                .append(" -k 1 ")
                .append(Math.max(1, stopTimeout.toSeconds())));
        command.forEach(word -> script.append(' ').append(quote(word)));
        return script.append('\n').toString();
    }

    /** A word for sh: single quotes, each quote inside written as {@code '\''}. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
