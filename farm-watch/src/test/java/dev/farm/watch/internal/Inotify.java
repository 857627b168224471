package dev.farm.watch.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts this process's inotify watches, from the {@code inotify wd:} lines of {@code /proc/self/fdinfo}. */
final class Inotify {

    private Inotify() {}

    static int watches() throws IOException {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(
                            Path.of("/proc/self/fdinfo").resolve(fd.getFileName()), StandardCharsets.US_ASCII)) {
                        if (line.startsWith("inotify wd:")) {
                            count++;
                        }
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return count;
    }
}
