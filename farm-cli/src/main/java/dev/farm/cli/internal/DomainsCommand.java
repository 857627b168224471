package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.cli.internal.control.ControlClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm domains}: the services a {@code discover} rule found (group {@code domains}). */
@Command(
        name = "domains",
        mixinStandardHelpOptions = true,
        description = "The domain processes the running farm discovered (the services of group domains).",
        subcommands = {DomainsCommand.ListDomains.class, DomainsCommand.RestartDomain.class})
public final class DomainsCommand implements Callable<Integer> {

    /** The group discovered domain processes are in. */
    static final String GROUP = "domains";

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        commandLine.usage(commandLine.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    static boolean isDomain(JsonNode service) {
        return GROUP.equals(service.path("group").asText(null));
    }

    /** {@code farm domains list}. */
    @Command(
            name = "list",
            aliases = "ls",
            mixinStandardHelpOptions = true,
            description =
                    "List the discovered domains: state, pid, port, uptime, last heartbeat, restarts, CPU, memory.")
    public static final class ListDomains implements Callable<Integer> {
        @Spec
        @Nullable
        CommandSpec spec;

        @CommandLine.Option(names = "--json", description = "Print them as JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode services = ClientCommands.connect(spec).get("/v1/services");
            PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
            boolean any = false;
            for (JsonNode service : services.path("services")) {
                any |= isDomain(service);
            }
            if (json) {
                com.fasterxml.jackson.databind.node.ArrayNode domains =
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                services.path("services").forEach(service -> {
                    if (isDomain(service)) {
                        domains.add(service);
                    }
                });
                out.print(PsView.json(domains));
            } else if (!any) {
                out.println("farm: " + services.path("project").asText() + " has no domains (no discover rule found a"
                        + " folder with its manifest).");
            } else {
                List<String> columns = List.of(
                        "NAME", "STATE", "PID", "PORT", "UPTIME", "HEARTBEAT", "RESTARTS", "CPU", "RSS", "LAST EXIT");
                out.print(PsView.table(services, columns, DomainsCommand::isDomain, ClientCommands.color(spec)));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code farm domains restart NAME...}. */
    @Command(
            name = "restart",
            mixinStandardHelpOptions = true,
            description = "Restart discovered domains at once and wait until each is ready again.")
    public static final class RestartDomain implements Callable<Integer> {
        @Spec
        @Nullable
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "The domains.")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
            ControlClient client = ClientCommands.connect(spec);
            ClientCommands.requireKnown(spec, client.get("/v1/services"), names, DomainsCommand::isDomain, "domain");
            return new ServiceActionCommand.Restart().run(client, names, commandLine.getOut(), commandLine.getErr());
        }
    }
}
