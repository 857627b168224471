package dev.farm.process.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A companion process that kills every service group farm registered with it once farm is gone, however it went
 * (SIGKILL, a crash, a closed terminal), so that nothing outlives farm.
 *
 * <p>The companion is a few lines of POSIX sh in its own session (so the terminal's Ctrl-C and hang-up do not reach
 * it), ignoring HUP, INT and TERM. It reads lines on a pipe from farm: {@code +PGID} registers a group, {@code -PGID}
 * forgets it, {@code d FILE} registers a daemon's stop script ({@link DaemonStopScript}), {@code u FILE} forgets it,
 * {@code s SIG TARGET} sends a signal with the shell's built-in {@code kill} (cheaper than starting a {@code kill}
 * process for each stop), {@code .} ends it quietly. End of file means farm died without saying goodbye: it sends
 * TERM to every registered group, runs every registered stop script meanwhile (a daemon such as PostgreSQL runs
 * outside the groups, and only its stop command ends it), waits a second, sends KILL to the groups, and waits for the
 * stop scripts (each bounded by its service's stop timeout) before it deletes them. One pipe write per registration; if the pipe breaks (the
 * companion died), farm logs one warning and goes on without it.
 */
final class Reaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    /** The companion: the kill program is its first argument. */
    static final String SCRIPT = """
            trap '' HUP INT TERM
            kill=$1
            groups=
            daemons=
            nl='
            '
            set -f
            while IFS= read -r line; do
              case $line in
                +*) groups="$groups ${line#+}" ;;
                s\\ *) set -- $line; kill -s "$2" -- "$3" 2>/dev/null ;;
                -*) gone=${line#-}; kept=; for g in $groups; do [ "$g" = "$gone" ] || kept="$kept $g"; done; groups=$kept ;;
                d\\ *) daemons="$daemons${line#d }$nl" ;;
                u\\ *) gone=${line#u }; kept=; IFS=$nl; for d in $daemons; do [ "$d" = "$gone" ] || kept="$kept$d$nl"; done; unset IFS; daemons=$kept ;;
                .) exit 0 ;;
              esac
            done
            [ -n "$groups$daemons" ] || exit 0
            for g in $groups; do "$kill" -s TERM -- "-$g" 2>/dev/null; done
            IFS=$nl; for d in $daemons; do /bin/sh "$d" </dev/null >/dev/null 2>&1 & done; unset IFS
            sleep 1
            for g in $groups; do "$kill" -s KILL -- "-$g" 2>/dev/null; done
            wait
            IFS=$nl; for d in $daemons; do rm -f "$d"; done
            exit 0
            """;

    private final Process process;
    private final OutputStream pipe;
    private boolean broken;

    private Reaper(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /**
     * Starts the companion where process groups work (setsid, kill and /proc are there).
     *
     * @return the reaper, or empty where groups are not supported or the companion cannot start (then logged)
     */
    static Optional<Reaper> start() {
        if (!ProcessTree.groupsSupported()) {
            return Optional.empty();
        }
        List<String> command = new java.util.ArrayList<>(ProcessTree.sessionLeaderPrefix());
        command.addAll(List.of(
                "/bin/sh",
                "-c",
                SCRIPT,
                "farm-reaper",
                ProcessTree.KILL.orElseThrow().toString()));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Path.of("/").toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new Reaper(process));
        } catch (IOException e) {
            LOG.warn(
                    "cannot start the reaper companion (/bin/sh): if farm is killed, its services keep running: {}",
                    e.toString());
            return Optional.empty();
        }
    }

    /** Registers a service's process group, to be killed if farm dies. */
    synchronized void register(long pgid) {
        send("+" + pgid);
    }

    /** Forgets a group that has been stopped, so a later process reusing its id is never signalled. */
    synchronized void unregister(long pgid) {
        send("-" + pgid);
    }

    /** Registers a daemon's stop script, to be run if farm dies. */
    synchronized void registerDaemon(Path script) {
        send("d " + script);
    }

    /** Forgets a daemon's stop script: farm stopped the daemon itself. */
    synchronized void unregisterDaemon(Path script) {
        send("u " + script);
    }

    /**
     * Sends a signal to a process group through the companion, without waiting for it.
     *
     * @return false when the companion is gone, so the caller signals by itself
     */
    synchronized boolean signalGroup(long pgid, ProcessTree.Signal signal) {
        return send("s " + signal.name() + " -" + pgid);
    }

    /** The companion's pid, for tests. */
    long pid() {
        return process.pid();
    }

    /** Ends the companion without killing anything: farm stopped its services itself. */
    @Override
    public synchronized void close() {
        send(".");
        try {
            pipe.close();
        } catch (IOException e) {
            LOG.debug("closing the reaper's pipe: {}", e.toString());
        }
    }

    private boolean send(String line) {
        if (broken) {
            return false;
        }
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
            return true;
        } catch (IOException e) {
            broken = true;
            LOG.warn(
                    "the reaper companion (pid {}) is gone: if farm is killed now, its services keep running: {}",
                    process.pid(),
                    describe(e));
            return false;
        }
    }

    private static String describe(@Nullable Throwable e) {
        return e == null ? "unknown" : e.toString();
    }
}
