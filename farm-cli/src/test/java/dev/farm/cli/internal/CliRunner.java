package dev.farm.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.IntSupplier;
import picocli.CommandLine;

/** Runs farm in-process the way STYLE.md's CLI tests do, with captured output and simulated signals. */
public final class CliRunner {

    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();
    public final TestSignals signals = new TestSignals();

    public int run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == DevCommand.class) {
                    return type.cast(new DevCommand(signals));
                }
                if (type == ServeCommand.class) {
                    return type.cast(new ServeCommand(signals));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return Cli.create(factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    /** A stop signal a test fires by hand. */
    public static final class TestSignals implements ShutdownSignals {
        private volatile IntSupplier action;
        private volatile int exitCode = -1;

        @Override
        public void onSignal(IntSupplier newAction) {
            action = newAction;
        }

        @Override
        public void clear() {
            action = null;
        }

        /** Simulates Ctrl-C: runs the registered action on a new thread, as the JVM runs a shutdown hook. */
        public Thread fire() {
            IntSupplier current = action;
            if (current == null) {
                throw new IllegalStateException("no action registered: farm dev is not running");
            }
            Thread thread = new Thread(() -> exitCode = current.getAsInt(), "test-signal");
            thread.start();
            return thread;
        }

        /** The exit code the signal's action chose, or -1 before it finished. */
        public int exitCode() {
            return exitCode;
        }

        public boolean armed() {
            return action != null;
        }
    }
}
