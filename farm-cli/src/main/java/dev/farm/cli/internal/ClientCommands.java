package dev.farm.cli.internal;

import dev.farm.cli.internal.control.ControlClient;
import java.util.Objects;
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

    /** Whether to colour this command's output. */
    static boolean color(@Nullable CommandSpec spec) {
        return Terminal.color(root(spec).noColor(), System.getenv());
    }
}
