package dev.farm.cli.internal;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm ps}: what the running farm of this project is doing, from another terminal. */
@Command(
        name = "ps",
        aliases = "status",
        mixinStandardHelpOptions = true,
        description = "Show each service of the running farm: group, state, pid, port, uptime, restarts, CPU, memory"
                + " (of its whole process tree) and last exit code.",
        footer = {"", "Exit code 1 when no farm is running for this project."})
public final class PsCommand implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--json", description = "Print the control API's answer as JSON, as GET /v1/services gives it.")
    boolean json;

    /** What to ask the running farm for. */
    static String query(boolean json, boolean color) {
        return json ? "/v1/services?view=pretty" : "/v1/services?view=table&color=" + color;
    }

    @Override
    public Integer call() {
        // The running farm renders both, so this JVM starts without a JSON library: ps is instant.
        String query =
                json ? "/v1/services?view=pretty" : "/v1/services?view=table&color=" + ClientCommands.color(spec);
        byte[] answer = ClientCommands.connect(spec).getBytes(query);
        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        out.print(new String(answer, StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }
}
