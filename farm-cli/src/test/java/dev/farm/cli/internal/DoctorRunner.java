package dev.farm.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code farm doctor} in-process with a given environment, operating system and inotify limit file. */
final class DoctorRunner {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final Map<String, String> env;
    private final String os;
    private final Path inotifyLimit;

    DoctorRunner(Map<String, String> env, String os, Path inotifyLimit) {
        this.env = env;
        this.os = os;
        this.inotifyLimit = inotifyLimit;
    }

    int run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == DoctorCommand.class) {
                    return type.cast(new DoctorCommand(env, os, inotifyLimit));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return Cli.create(factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
