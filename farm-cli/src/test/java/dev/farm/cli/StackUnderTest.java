package dev.farm.cli;

import dev.farm.cli.internal.ReplayingPorts;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A DevServer run from a farm.yaml written into a test's project folder: reloads read the file again with the same
 * auto ports (as {@code farm dev} does), and what the terminal would show is kept for assertions.
 */
final class StackUnderTest {

    private final Path dir;
    private final StringWriter out = new StringWriter();
    private final ReplayingPorts ports = new ReplayingPorts();

    StackUnderTest(Path dir) {
        this.dir = dir;
    }

    FarmConfig load() {
        ports.rewind();
        return ConfigSource.directory(dir, LoadOptions.defaults().withPortAllocator(ports))
                .load();
    }

    /** Writes farm.yaml, starts the stack and returns it once every service is ready; the caller closes it. */
    DevServer start(String farmYaml) throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), farmYaml);
        DevServer server = DevServer.builder(load())
                .output(new PrintWriter(out, true), false)
                .reload(this::load)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String printed() {
        synchronized (out) {
            return out.toString();
        }
    }
}
