package dev.edgebox.app;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterSpec;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.engine.lora.LoraAdapter;
import dev.edgebox.engine.lora.LoraFiles;
import dev.edgebox.engine.model.ModelConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --lora DIR_OR_GGUF[:scale]} (repeatable): adapters to run with, from a path or the adapter store. */
public final class LoraArgs {
    @Option(names = "--lora", paramLabel = "ADAPTER[:SCALE]",
            description = "LoRA adapter to apply (repeatable, stacked in order): a PEFT directory, a LoRA .gguf file"
                    + " or the name of a stored adapter; ':SCALE' multiplies its effect (default 1).")
    public List<String> specs = new ArrayList<>();

    @Option(names = "--adapter-dir", paramLabel = "DIR",
            description = "Adapter store for --lora NAME (default: $EDGEBOX_HOME/adapters or ~/.edgebox/adapters).")
    public Path store;

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    public AdapterStore store() {
        return new AdapterStore(store != null ? store : AdapterStore.defaultRoot());
    }

    /** Loads every adapter for the base, reporting each on err, and stacks them. */
    public AdapterStack load(ModelConfig base, PrintStream err) {
        AdapterStack stack = AdapterStack.NONE;
        for (String text : specs) {
            AdapterSpec spec = AdapterSpec.parse(text);
            Path source = resolve(spec.target());
            String name = spec.name() != null ? spec.name() : LoraFiles.defaultName(source);
            LoraAdapter a = LoraFiles.load(source, name, base);
            err.printf(Locale.ROOT, "edgebox: adapter %s (%s, %s, %.1f MB) scale %s%n", a.name(),
                    a.format().name().toLowerCase(Locale.ROOT), a.describe(), a.bytes() / 1e6, spec.scale());
            stack = stack.with(a, spec.scale());
        }
        return stack;
    }

    /** A path if it exists; else the current version of a stored adapter of that name. */
    private Path resolve(String target) {
        Path p = Path.of(target);
        if (Files.exists(p)) return p;
        AdapterStore s = store();
        if (AdapterSpec.validName(target) && s.contains(target)) return s.get(target).currentVersion().path();
        throw new EngineException("adapter not found: " + target + " is neither a path (PEFT directory or LoRA .gguf) nor an adapter in " + s.root());
    }
}
