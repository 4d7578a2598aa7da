package dev.edgebox.app.lora;

import dev.edgebox.app.LoraArgs;
import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.lora.LoraGgufWriter;
import dev.edgebox.engine.lora.PeftWriter;
import dev.edgebox.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "export", description = {"Convert an adapter to a llama.cpp LoRA GGUF (--out FILE.gguf) or a PEFT directory.",
        "The base model decides the q/k row order of llama models."})
final class LoraExport implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Base model GGUF the adapter is for.")
    Path model;

    @Mixin
    LoraArgs lora;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf|DIR", description = "Output: a .gguf file, or a directory for PEFT.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (lora.specs.size() != 1) throw new EngineException("export takes exactly one --lora ADAPTER");
        if (lora.store == null) lora.store = parent.dir;
        try (GgufFile f = GgufFile.open(model)) {
            ModelConfig config = ModelConfig.from(f);
            AdapterStack stack = lora.load(config, System.err);
            if (stack.scale(0) != 1f) throw new EngineException("export writes the adapter as trained; drop the ':scale'");
            boolean gguf = out.getFileName().toString().endsWith(".gguf");
            if (gguf) LoraGgufWriter.write(stack.adapter(0), out);
            else PeftWriter.write(stack.adapter(0), config, out);
            spec.commandLine().getOut().printf("wrote %s (%s)%n", out, gguf ? "GGUF LoRA" : "PEFT");
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
