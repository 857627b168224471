package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.cli.internal.control.ControlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What the commands that talk to a running farm share: finding it from the root options. */
final class ClientCommands {

    private ClientCommands() {}

    /** The root command's options, from any depth of subcommand. */
    static RootCommand root(@Nullable CommandSpec spec) {
        CommandLine line = Objects.requireNonNull(spec).commandLine();
        while (line.getParent() != null) {
            line = line.getParent();
        }
        return (RootCommand) line.getCommand();
    }

    /** Connects to the farm running the project of {@code -C} / {@code -f}. */
    static ControlClient connect(@Nullable CommandSpec spec) {
        return ControlClient.forProject(root(spec).projectDirectory());
    }

    /**
     * Returns the names of the running farm's services, after checking that each of {@code wanted} is one of them, or
     * one of those {@code filter} keeps.
     *
     * @param spec the command, for the usage error
     * @param services the answer of {@code GET /v1/services}
     * @param wanted the names the command line gives
     * @param filter which services count, such as the domains
     * @param what what the message calls them, such as "domain"
     * @throws CommandLine.ParameterException naming the first unknown one and those there are
     */
    static List<String> requireKnown(
            @Nullable CommandSpec spec,
            JsonNode services,
            List<String> wanted,
            Predicate<JsonNode> filter,
            String what) {
        List<String> names = new ArrayList<>();
        services.path("services").forEach(service -> {
            if (filter.test(service)) {
                names.add(service.path("name").asText());
            }
        });
        for (String name : wanted) {
            if (!names.contains(name)) {
                throw new CommandLine.ParameterException(
                        Objects.requireNonNull(spec).commandLine(),
                        "no " + what + " '" + name + "' in "
                                + services.path("project").asText() + " (" + what + "s: "
                                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
            }
        }
        return names;
    }

    /** Whether to colour this command's output. */
    static boolean color(@Nullable CommandSpec spec) {
        return Terminal.color(root(spec).noColor(), System.getenv());
    }
}
