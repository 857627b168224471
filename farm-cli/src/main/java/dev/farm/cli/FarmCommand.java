package dev.farm.cli;

import dev.farm.cli.internal.Cli;
import dev.farm.cli.internal.QuickPs;
import dev.farm.cli.internal.Verbosity;
import dev.farm.cli.internal.VersionProvider;

/**
 * The {@code farm} command line: {@code farm [-C DIR] [-f FILE] [-v | -q] [--no-color] COMMAND}.
 *
 * <p>Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid configuration, 4 a service failed to start or become
 * ready. Errors go to standard error as one clear message; {@code -v} adds the stack trace.
 *
 * @since 0.1
 */
public final class FarmCommand {

    private FarmCommand() {}

    /**
     * Runs farm and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args);
        System.exit(code);
    }

    /**
     * Runs farm with the standard streams, installing a JVM shutdown hook so Ctrl-C stops a running stack, and returns
     * the exit code.
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints, without building its command model first (most of the time farm takes to start).
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            System.out.flush();
            return 0;
        }
        java.util.OptionalInt ps = QuickPs.run(
                args,
                System.getenv(),
                new java.io.PrintWriter(System.out, true, java.nio.charset.Charset.defaultCharset()),
                new java.io.PrintWriter(System.err, true, java.nio.charset.Charset.defaultCharset()));
        if (ps.isPresent()) {
            return ps.getAsInt(); // farm ps, answered without building picocli's model
        }
        Verbosity.configure(args); // before the first logger exists
        return Cli.create(picocli.CommandLine.defaultFactory(), args).execute(args);
    }
}
