package dev.farm.cli.internal;

import picocli.CommandLine.Command;

/**
 * {@code farm serve}: the stack as it runs in production: the {@code serve} profile, no file watching, no codegen,
 * every service restarted whenever it ends.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the stack with the serve profile (production overrides): no file watching, no codegen, and"
                + " every service restarted whenever it ends (with backoff, within its budget). Ctrl-C stops it.")
public final class ServeCommand extends DevCommand {

    /** Creates the command with the JVM's signal handling. */
    public ServeCommand() {
        super();
    }

    /**
     * Creates the command with the given signal handling.
     *
     * @param signals what a stop signal does
     */
    public ServeCommand(ShutdownSignals signals) {
        super(signals);
    }

    @Override
    boolean serve() {
        return true;
    }
}
