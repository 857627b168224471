package dev.farm.watch.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchLimitsTest {

    @TempDir
    Path procSys;

    @Test
    void theWatchLimitNamesTheSysctlAndTheFix() throws IOException {
        Files.createDirectories(procSys.resolve("fs/inotify"));
        Files.writeString(procSys.resolve("fs/inotify/max_user_watches"), "8192\n", US_ASCII);
        // as directory-watcher hands it on from its registration
        Exception failure = new UncheckedIOException(new IOException("User limit of inotify watches reached"));
        assertThat(WatchLimits.watchLimit(failure)).isTrue();
        String message = WatchLimits.pollingInstead(Path.of("/p"), failure, Duration.ofSeconds(1), procSys)
                .getMessage();
        assertThat(message)
                .contains("cannot watch /p")
                .contains("fs.inotify.max_user_watches = 8192")
                .contains("sudo sysctl fs.inotify.max_user_watches=524288")
                .contains("/etc/sysctl.d/")
                .contains("farm polls every 1s");
    }

    @Test
    void theInstanceLimit() {
        IOException failure = new IOException("User limit of inotify instances reached or too many open files");
        assertThat(WatchLimits.watchLimit(failure)).isFalse();
        assertThat(WatchLimits.pollingInstead(Path.of("/p"), failure, Duration.ofMillis(500), procSys)
                        .getMessage())
                .contains("fs.inotify.max_user_instances = unknown")
                .contains("sudo sysctl fs.inotify.max_user_instances=1024")
                .contains("every 500ms");
    }

    @Test
    void anyOtherFailure() {
        assertThat(WatchLimits.pollingInstead(Path.of("/p"), new IOException("no"), Duration.ofSeconds(2), procSys)
                        .getMessage())
                .isEqualTo("cannot watch /p with the operating system's events (java.io.IOException: no); farm"
                        + " polls every 2s instead.");
    }
}
