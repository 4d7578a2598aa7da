package dev.edgebox.app.lora;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "remove", aliases = "rm", description = "Delete a stored adapter with all its versions, or one old version.")
final class LoraRemove implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--version", paramLabel = "N", description = "Delete only this version (not the current one).")
    Integer version;

    @Override
    public Integer call() {
        if (version != null) {
            parent.store().removeVersion(name, version);
            spec.commandLine().getOut().printf("removed %s v%d%n", name, version);
        } else {
            parent.store().remove(name);
            spec.commandLine().getOut().printf("removed %s%n", name);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
