package dev.edgebox.app.lora;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "add", description = {"Store an adapter (PEFT directory or LoRA .gguf) under a name.",
        "Adding to an existing name creates the next version and makes it current; the previous one stays for rollback."})
final class LoraAdd implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "PATH")
    Path source;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Base model GGUF to check the adapter against before storing it (recommended).")
    Path model;

    @Override
    public Integer call() {
        AdapterStore store = parent.store();
        int version;
        if (model != null) {
            try (GgufFile f = GgufFile.open(model)) {
                version = new AdapterRegistry(store, ModelConfig.from(f)).add(name, source).version();
            }
        } else {
            version = store.add(name, source).number();
        }
        spec.commandLine().getOut().printf("stored %s v%d in %s%s%n", name, version, store.root(),
                model != null ? " (checked against " + model.getFileName() + ")" : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
