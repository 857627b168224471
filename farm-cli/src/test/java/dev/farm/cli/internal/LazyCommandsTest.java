package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only the command a run names is registered, and what picocli prints is the same as with all of them. */
class LazyCommandsTest {

    private static CommandLine root() {
        return new CommandLine(RootCommand.class);
    }

    @Test
    void theNamedCommandAloneEvenAfterOptionsWhoseValueLooksLikeACommand() {
        assertThat(Cli.commandsFor(root(), new String[] {"-C", "dev", "--no-color", "doctor", "--json"}))
                .containsExactly(DoctorCommand.class);
        assertThat(Cli.commandsFor(root(), new String[] {"--directory", "config", "config", "check"}))
                .containsExactly(ConfigCommand.class);
        assertThat(Cli.commandsFor(root(), new String[] {"status", "--json"})).containsExactly(PsCommand.class);
        assertThat(Cli.commandsFor(root(), new String[] {"restart", "api"}))
                .containsExactly(ServiceActionCommand.Restart.class);
    }

    @Test
    void noneForABareVersionAndAllForHelpNothingOrAnUnknownCommand() {
        assertThat(Cli.commandsFor(root(), new String[] {"--version"})).isEmpty();
        assertThat(Cli.commandsFor(root(), new String[] {"-V"})).isEmpty();
        assertThat(Cli.commandsFor(root(), new String[] {"--help"})).isEqualTo(RootCommand.COMMANDS);
        assertThat(Cli.commandsFor(root(), new String[] {})).isEqualTo(RootCommand.COMMANDS);
        assertThat(Cli.commandsFor(root(), new String[] {"doctr"})).isEqualTo(RootCommand.COMMANDS);
        assertThat(Cli.commandsFor(root(), null)).isEqualTo(RootCommand.COMMANDS);
    }

    @Test
    void aLazyCommandLineParsesInheritedOptionsAndPrintsTheSameVersion() {
        String[] args = {"doctor", "--help"};
        StringWriter lazy = new StringWriter();
        int code = Cli.create(CommandLine.defaultFactory(), args)
                .setOut(new PrintWriter(lazy, true))
                .execute(args);
        StringWriter full = new StringWriter();
        Cli.create().setOut(new PrintWriter(full, true)).execute(args);

        assertThat(code).isZero();
        assertThat(lazy.toString()).isEqualTo(full.toString()).contains("-C, --directory=DIR");

        StringWriter version = new StringWriter();
        Cli.create(CommandLine.defaultFactory(), new String[] {"--version"})
                .setOut(new PrintWriter(version, true))
                .execute("--version");
        assertThat(version.toString()).startsWith("farm " + VersionProvider.version());
    }

    @Test
    void anUnknownCommandStillGetsASuggestion() {
        String[] args = {"doctr"};
        StringWriter err = new StringWriter();
        int code = Cli.create(CommandLine.defaultFactory(), args)
                .setErr(new PrintWriter(err, true))
                .execute(args);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("doctr").contains("doctor");
    }
}
