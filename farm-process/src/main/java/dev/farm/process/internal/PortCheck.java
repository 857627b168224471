package dev.farm.process.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Before a service starts: is its port free, and if not, which process holds it? Without this a readiness probe can
 * pass against whatever already listens there, and the service itself dies with "address already in use".
 *
 * <p>On Linux the listening sockets come from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (state LISTEN only,
 * so connections lingering in TIME_WAIT do not count), and their owner from the {@code socket:[inode]} links under
 * {@code /proc/PID/fd}, which only processes of the same user (or root) can read. Elsewhere farm tries to bind the
 * port and says it is busy without naming the holder.
 */
final class PortCheck {

    private static final String LISTEN = "0A";
    private static final Path PROC = Path.of("/proc");

    private PortCheck() {}

    /** Who holds a port: a pid when known, and its command line. */
    record Holder(long pid, String command) {

        String describe() {
            return pid > 0 ? "pid " + pid + " (" + command + ")" : "another process";
        }
    }

    /**
     * Returns who listens on the port, or empty when it is free.
     *
     * @param port 1-65535
     * @return the holder, with pid 0 when it cannot be named
     */
    static Optional<Holder> holder(int port) {
        if (Files.isReadable(PROC.resolve("net/tcp"))) {
            Set<String> inodes = new HashSet<>();
            inodes.addAll(listeningInodes(PROC.resolve("net/tcp"), port));
            inodes.addAll(listeningInodes(PROC.resolve("net/tcp6"), port));
            if (inodes.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(owner(inodes).orElse(new Holder(0, "")));
        }
        return bindable(port) ? Optional.empty() : Optional.of(new Holder(0, ""));
    }

    /** The inodes of sockets listening on the port, from one /proc/net table. */
    static Set<String> listeningInodes(Path table, int port) {
        Set<String> inodes = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return inodes; // no IPv6, say
        }
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+", -1);
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if (fields.length > 9 && fields[3].equals(LISTEN) && fields[1].endsWith(":" + hexPort)) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }

    private static Optional<Holder> owner(Set<String> inodes) {
        Set<String> links = inodes.stream().map(i -> "socket:[" + i + "]").collect(Collectors.toSet());
        List<Path> processes;
        try (Stream<Path> entries = Files.list(PROC)) {
            processes = entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path process : processes) {
            try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue;
                    }
                    if (links.contains(target)) {
                        long pid = Long.parseLong(process.getFileName().toString());
                        return Optional.of(new Holder(pid, commandLine(process)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // another user's process, or it ended while we looked
            }
        }
        return Optional.empty();
    }

    private static String commandLine(Path process) {
        try {
            byte[] raw = Files.readAllBytes(process.resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            String line = String.join(" ", args);
            // The program and the end (a main class, a script, its arguments) say most; a long class path least.
            return line.length() > 200 ? line.substring(0, 80) + " … " + line.substring(line.length() - 110) : line;
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
