package dev.edgebox.app.lora;

import dev.edgebox.app.LoraArgs;
import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "merge", description = {"Bake adapters into a model (W + scale * B A), re-quantized to --type.",
        "By default each merged weight keeps its own type; all other tensors are copied unchanged."})
final class LoraMerge implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Base model GGUF.")
    Path model;

    @Mixin
    LoraArgs lora;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Merged model GGUF to write.")
    Path out;

    @Option(names = "--type", paramLabel = "TYPE", description = "Type of the merged weights: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k, ...")
    String type;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads (default: cores, up to 8).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (lora.isEmpty()) throw new EngineException("nothing to merge: give at least one --lora ADAPTER[:SCALE]");
        if (lora.store == null) lora.store = parent.dir;
        GgmlType t = type == null ? null : parseType(type);
        if (Files.exists(out) && Files.isSameFile(out, model)) throw new EngineException("--out must not overwrite the base model " + model);
        long start = System.nanoTime();
        try (GgufFile f = GgufFile.open(model); Parallel pool = new Parallel(threads != null ? threads : ModelOptions.defaultThreads())) {
            ModelConfig config = ModelConfig.from(f);
            AdapterStack stack = lora.load(config, System.err);
            int changed = dev.edgebox.engine.lora.LoraMerge.write(f, config, stack, t, out, pool);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d weights merged%s in %.1f s%n", out, changed,
                    t == null ? "" : " as " + t.displayName(), (System.nanoTime() - start) / 1e9);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    static GgmlType parseType(String s) {
        try {
            return GgmlType.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EngineException("unknown --type '" + s + "'; use f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k or q6_k");
        }
    }
}
