package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tmux server of the test's own (its own socket, so a developer's tmux and its environment are never touched)
 * holding one 160x45 window with an interactive shell: the terminal a person runs {@code farm dev} in.
 */
final class Tmux implements AutoCloseable {

    static final String SESSION = "farm";

    private final String socket;
    private final Path dir;

    private Tmux(String socket, Path dir) {
        this.socket = socket;
        this.dir = dir;
    }

    /** Starts the server with a bash of no rc files, prompt {@code $ }, in {@code dir}. */
    static Tmux start(Path dir) throws IOException, InterruptedException {
        Prerequisites.program("tmux", "tmux");
        Tmux tmux = new Tmux("farm-e2e-" + ProcessHandle.current().pid(), dir);
        tmux.run(
                "new-session",
                "-d",
                "-s",
                SESSION,
                "-x",
                "160",
                "-y",
                "45",
                "-c",
                dir.toString(),
                "env",
                "PS1=$ ",
                "TERM=xterm-256color",
                "bash",
                "--norc",
                "--noprofile",
                "-i");
        return tmux;
    }

    /** Types a line into the shell, with Enter. */
    void type(String line) throws IOException, InterruptedException {
        run("send-keys", "-t", SESSION, "-l", line);
        run("send-keys", "-t", SESSION, "Enter");
    }

    /** Presses keys, such as {@code C-c} (Ctrl-C) or {@code C-l}. */
    void keys(String keys) throws IOException, InterruptedException {
        run("send-keys", "-t", SESSION, keys);
    }

    /** The visible screen, with its colours as ANSI codes ({@code -e}). */
    String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-e", "-t", SESSION);
    }

    /** The visible screen and the lines scrolled out of it, as plain text. */
    String history() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-S", "-", "-t", SESSION);
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Command.Result result = Command.run(dir, Duration.ofSeconds(20), command.toArray(String[]::new));
        assertThat(result.code()).as("%s: %s", command, result.output()).isZero();
        return result.output();
    }

    /** Ends this test's tmux server, and the shell in it. */
    @Override
    public void close() throws IOException, InterruptedException {
        Command.run(dir, Duration.ofSeconds(20), "tmux", "-L", socket, "kill-server");
    }
}
