package dev.farm.watch.internal;

import dev.farm.watch.WatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Recognizes the kernel's inotify limits in what the JDK throws, and says what to do about them. The JDK's Linux watch
 * service reports {@code ENOSPC} from {@code inotify_add_watch} as "User limit of inotify watches reached" and {@code
 * EMFILE} from {@code inotify_init} as "User limit of inotify instances reached or too many open files".
 */
final class WatchLimits {

    static final String WATCHES = "fs.inotify.max_user_watches";
    static final String INSTANCES = "fs.inotify.max_user_instances";

    private WatchLimits() {}

    /** Tells whether a failure (or one of its causes) is the inotify watch limit. */
    static boolean watchLimit(Throwable failure) {
        return causeMentions(failure, "inotify watches");
    }

    /** Tells whether a failure (or one of its causes) is the inotify instance limit. */
    static boolean instanceLimit(Throwable failure) {
        return causeMentions(failure, "inotify instances");
    }

    /**
     * Explains why farm polls instead of receiving events.
     *
     * @param where the folder that could not be watched
     * @param failure what the JDK threw
     * @param interval how often farm polls instead
     * @param procSys where the kernel's settings are ({@code /proc/sys})
     */
    static WatchException pollingInstead(Path where, Throwable failure, Duration interval, Path procSys) {
        String poll = "Until then farm polls every " + Durations.describe(interval) + ", which is slower.";
        String message;
        if (watchLimit(failure)) {
            message = "cannot watch " + where + ": the inotify watch limit is reached (" + WATCHES + " = "
                    + current(procSys, WATCHES) + "; every watcher of this user shares it: IDEs, dev servers, farm). "
                    + fix(WATCHES, 524288) + " " + poll;
        } else if (instanceLimit(failure)) {
            message = "cannot watch " + where + ": the inotify instance limit is reached (" + INSTANCES + " = "
                    + current(procSys, INSTANCES) + "), or farm ran out of file descriptors. " + fix(INSTANCES, 1024)
                    + " " + poll;
        } else {
            message = "cannot watch " + where + " with the operating system's events (" + failure
                    + "); farm polls every " + Durations.describe(interval) + " instead.";
        }
        return new WatchException(message, failure);
    }

    private static String fix(String key, int value) {
        return "Raise it now with `sudo sysctl " + key + "=" + value + "`, and for good with the line `" + key + "="
                + value + "` in /etc/sysctl.d/60-inotify.conf (then `sudo sysctl --system`).";
    }

    private static String current(Path procSys, String key) {
        Path file = procSys.resolve(key.replace('.', '/'));
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? "unknown" : lines.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static boolean causeMentions(Throwable failure, String words) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IOException
                    && message != null
                    && message.toLowerCase(Locale.ROOT).contains(words)) {
                return true;
            }
        }
        return false;
    }
}
