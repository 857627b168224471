package dev.farm.cli.internal;

import dev.farm.cli.internal.control.ControlClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code farm ps} without picocli: the command people run most often from a second terminal, answered in the time a
 * JVM takes to start and one request to the running farm. picocli's classes are compiled for Java 5, so the JVM
 * verifies them the slow way and no CDS archive can hold them; building its model is most of what {@code farm ps}
 * would otherwise cost.
 *
 * <p>Only this exact grammar is taken: {@code ps} or {@code status}, with {@code --json} after it, and {@code -C DIR},
 * {@code --directory DIR}, {@code --directory=DIR} and {@code --no-color} before or after it (picocli takes them in
 * both places too). Anything else, {@code -v} and {@code --help} included, goes through picocli as
 * usual, and both paths print the same bytes and exit with the same code (QuickPsTest checks them side by side).
 */
public final class QuickPs {

    private QuickPs() {}

    /**
     * Runs {@code farm ps} if the arguments are exactly that.
     *
     * @param args the command line
     * @param env the environment, for the colour decision
     * @param out standard output
     * @param err standard error
     * @return the exit code, or empty when the arguments are anything else
     */
    public static OptionalInt run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Path directory = null;
        boolean json = false;
        boolean noColor = false;
        boolean command = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("-C") || arg.equals("--directory")) && i + 1 < args.length) {
                directory = Path.of(args[++i]);
            } else if (arg.startsWith("--directory=") && arg.length() > "--directory=".length()) {
                directory = Path.of(arg.substring("--directory=".length()));
            } else if (arg.equals("--no-color")) {
                noColor = true;
            } else if (!command && (arg.equals("ps") || arg.equals("status"))) {
                command = true;
            } else if (command && arg.equals("--json") && !json) {
                json = true;
            } else {
                return OptionalInt.empty();
            }
        }
        if (!command) {
            return OptionalInt.empty();
        }
        try {
            ControlClient client = ControlClient.forProject(directory == null ? Path.of("") : directory);
            byte[] answer = client.getBytes(PsCommand.query(json, Terminal.color(noColor, env)));
            out.print(new String(answer, StandardCharsets.UTF_8));
            out.flush();
            return OptionalInt.of(0);
        } catch (RuntimeException e) {
            return OptionalInt.of(Cli.report(e, err, false));
        }
    }
}
