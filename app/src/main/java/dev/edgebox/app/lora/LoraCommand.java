package dev.edgebox.app.lora;

import dev.edgebox.engine.lora.AdapterStore;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgebox lora}: the adapter store (versions, rollback) and offline merge and export. */
@Command(name = "lora", mixinStandardHelpOptions = true,
        description = "LoRA adapters: keep named, versioned adapters on the box; merge them into a model; convert them to GGUF.",
        subcommands = {LoraList.class, LoraAdd.class, LoraRemove.class, LoraRollback.class, LoraMerge.class, LoraExport.class})
public final class LoraCommand implements Runnable {

    @Option(names = "--dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Adapter store (default: $EDGEBOX_HOME/adapters or ~/.edgebox/adapters).")
    Path dir;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    AdapterStore store() {
        return new AdapterStore(dir != null ? dir : AdapterStore.defaultRoot());
    }
}
