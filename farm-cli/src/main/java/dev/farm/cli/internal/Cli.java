package dev.farm.cli.internal;

import dev.farm.cli.internal.control.ControlClient;
import dev.farm.config.ConfigException;
import dev.farm.process.AlreadyRunningException;
import dev.farm.process.ProbeTimeoutException;
import dev.farm.process.ServiceStartException;
import dev.farm.proxy.ProxyException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** Builds the {@code farm} command line with its one exit-code mapping and one error printer. */
public final class Cli {

    /** Exit code: a service failed to start or become ready. */
    public static final int SERVICE_FAILED = 4;

    /** Exit code: the configuration is invalid. */
    public static final int INVALID_CONFIG = 3;

    private Cli() {}

    /**
     * Creates the command line with picocli's default factory.
     *
     * @return the command line
     */
    public static CommandLine create() {
        return create(CommandLine.defaultFactory());
    }

    /**
     * Creates the command line with every command.
     *
     * @param factory creates the command objects; tests pass one that injects their collaborators
     * @return the command line, printing to the standard streams until told otherwise
     */
    public static CommandLine create(CommandLine.IFactory factory) {
        return create(factory, null);
    }

    /**
     * Creates the command line for one run: with only the command {@code args} names, so that picocli builds the
     * model of that one (its reflection over every other command's annotations is most of farm's start-up time), or
     * with none for {@code farm --version}. When {@code args} name no known command, every command is there, so
     * {@code farm --help} lists them all and a typo gets picocli's suggestions.
     *
     * @param factory creates the command objects
     * @param args the command line that will be executed, or null for every command
     * @return the command line
     */
    public static CommandLine create(CommandLine.IFactory factory, String @Nullable [] args) {
        CommandLine commandLine = new CommandLine(RootCommand.class, factory);
        for (Class<?> command : commandsFor(commandLine, args)) {
            commandLine.addSubcommand(command);
        }
        commandLine.setExitCodeExceptionMapper(Cli::exitCode);
        commandLine.setExecutionExceptionHandler(Cli::handle);
        return commandLine;
    }

    /** The commands a run needs: the one named, none for a bare {@code --version}, otherwise all. */
    static List<Class<?>> commandsFor(CommandLine root, String @Nullable [] args) {
        if (args == null) {
            return RootCommand.COMMANDS;
        }
        Set<String> takeValue = new HashSet<>();
        for (CommandLine.Model.OptionSpec option : root.getCommandSpec().options()) {
            if (option.arity().max() > 0) {
                takeValue.addAll(List.of(option.names()));
            }
        }
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("-")) {
                version |= arg.equals("--version") || arg.equals("-V");
                if (takeValue.contains(arg)) {
                    i++; // its value, which may look like a command name: -C dev
                }
                continue;
            }
            for (Class<?> command : RootCommand.COMMANDS) {
                CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
                if (annotation != null
                        && (annotation.name().equals(arg)
                                || List.of(annotation.aliases()).contains(arg))) {
                    return List.of(command);
                }
            }
            return RootCommand.COMMANDS; // not a command: picocli reports it with every command as a suggestion
        }
        return version ? List.of() : RootCommand.COMMANDS;
    }

    /**
     * Maps a failure to farm's exit codes: 2 usage, 3 invalid config, 4 a service failed (or another farm runs the
     * project), 1 anything else.
     *
     * @param failure the failure
     * @return the exit code
     */
    static int exitCode(Throwable failure) {
        if (failure instanceof CommandLine.ParameterException) {
            return CommandLine.ExitCode.USAGE;
        }
        if (failure instanceof ConfigException) {
            return INVALID_CONFIG;
        }
        if (failure instanceof ServiceStartException
                || failure instanceof AlreadyRunningException
                || failure instanceof ProxyException) {
            return SERVICE_FAILED;
        }
        if (failure instanceof ControlClient.ControlException control && control.status() == 409) {
            return SERVICE_FAILED; // the running farm could not start the service
        }
        return CommandLine.ExitCode.SOFTWARE; // also: no farm runs the project, or it cannot be reached
    }

    private static int handle(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        CommandLine root = commandLine;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        boolean verbose = root.getCommand() instanceof RootCommand options && options.verbose();
        return report(failure, commandLine.getErr(), verbose);
    }

    /**
     * Prints a failure as one clear message, with the stack trace when verbose, and returns its exit code.
     *
     * @param failure the failure
     * @param err where to print
     * @param verbose whether to add the stack trace
     * @return the exit code
     */
    static int report(Throwable failure, PrintWriter err, boolean verbose) {
        err.println(message(failure));
        if (verbose) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return exitCode(failure);
    }

    /** One clear message: what went wrong, where, and what to do. */
    static String message(Throwable failure) {
        if (failure instanceof ConfigException) {
            // FILE:LINE:COL: PATH: message, one problem per line, as compilers print them.
            return failure.getMessage();
        }
        if (failure instanceof ProbeTimeoutException timeout) {
            return "farm: " + timeout.getMessage() + " See the " + timeout.service()
                    + " output above, or raise services." + timeout.service() + ".ready.timeout.";
        }
        if (failure instanceof ServiceStartException
                || failure instanceof AlreadyRunningException
                || failure instanceof ProxyException
                || failure instanceof ControlClient.NotRunningException
                || failure instanceof ControlClient.ControlException) {
            return "farm: " + failure.getMessage();
        }
        return "farm: internal error: " + failure + ". Run again with -v for the stack trace, and please report it.";
    }
}
