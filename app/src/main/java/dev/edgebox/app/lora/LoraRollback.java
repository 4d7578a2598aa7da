package dev.edgebox.app.lora;

import dev.edgebox.engine.lora.AdapterStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "rollback", description = "Make the previous version of a stored adapter current again (or --to a given one).")
final class LoraRollback implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--to", paramLabel = "N", description = "The version to make current.")
    Integer to;

    @Override
    public Integer call() {
        AdapterStore store = parent.store();
        AdapterStore.Version v = to != null ? store.activate(name, to) : store.rollback(name);
        spec.commandLine().getOut().printf("%s is now at v%d%n", name, v.number());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
