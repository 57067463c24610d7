package dev.kubani.cli;

import dev.kubani.core.KubaniException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr completion bash|zsh}: prints a completion script to source. */
@Command(name = "completion",
        description = {"Print a shell completion script.",
            "bash: source <(cluster-mgr completion bash)",
            "zsh:  source <(cluster-mgr completion zsh)"})
public final class CompletionCommand extends BaseCommand {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    protected int execute() {
        CommandLine top = spec.root().commandLine();
        String script = AutoComplete.bash("cluster-mgr", top);
        switch (shell) {
            case "bash" -> root().env().out().print(script);
            case "zsh" -> {
                root().env().out().println("autoload -U +X compinit && compinit");
                root().env().out().println("autoload -U +X bashcompinit && bashcompinit");
                root().env().out().print(script);
            }
            default -> throw KubaniException.invalidInput("unknown shell '" + shell + "'; use bash or zsh");
        }
        root().env().out().flush();
        return 0;
    }
}
