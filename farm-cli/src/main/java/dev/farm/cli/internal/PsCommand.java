package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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

    @Override
    public Integer call() {
        JsonNode services = ClientCommands.connect(spec).get("/v1/services");
        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        if (json) {
            out.print(PsView.json(services));
        } else {
            out.print(PsView.table(services, PsView.COLUMNS, service -> true, ClientCommands.color(spec)));
        }
        out.flush();
        return 0;
    }
}
