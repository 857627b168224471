package dev.farm.cli.internal;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm completion [bash|zsh]}: prints the shell completion script for every farm command and option. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a script that completes farm's commands and options when you press TAB.",
            "",
            "Try it in this shell:    source <(farm completion bash)",
            "Keep it for bash:        farm completion bash > ~/.local/share/bash-completion/completions/farm",
            "Keep it for zsh:         echo 'source <(farm completion zsh)' >> ~/.zshrc",
            "",
            "The zsh script is the bash one: it loads zsh's bashcompinit itself."
        })
public final class CompletionCommand implements Callable<Integer> {

    /** The shells the script is for. */
    enum Shell {
        bash,
        zsh
    }

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "bash",
            paramLabel = "SHELL",
            description = "bash (the default) or zsh.")
    Shell shell = Shell.bash;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandSpec current = Objects.requireNonNull(spec);
        PrintWriter out = current.commandLine().getOut();
        out.print(AutoComplete.bash("farm", current.root().commandLine()));
        out.flush();
        return 0;
    }
}
