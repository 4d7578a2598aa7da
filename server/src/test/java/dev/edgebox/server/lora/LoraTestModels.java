package dev.edgebox.server.lora;

import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.lora.LoraAdapter;
import dev.edgebox.engine.lora.LoraFiles;
import dev.edgebox.engine.lora.LoraPair;
import dev.edgebox.engine.lora.LoraTarget;
import dev.edgebox.engine.lora.PeftWriter;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.model.QuantMix;
import dev.edgebox.engine.model.SyntheticModel;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny base model and LoRA adapters for it, generated in code (nothing from ../shared), and what
 * the model generates alone with given adapters: the reference every served answer must equal.
 * The model's byte-level vocabulary writes tokens above 255 as "[PADn]", so different token
 * sequences read as different texts.
 */
final class LoraTestModels {
    static final SyntheticModel.Shape BASE =
            new SyntheticModel.Shape("lora-http", Architecture.QWEN2, 512, 128, 2, 4, 2, 32, 320, 512, 1e6f, 1e-6f, true, true);
    /** Narrower than BASE: its adapters have the wrong shapes for BASE. */
    static final SyntheticModel.Shape OTHER =
            new SyntheticModel.Shape("lora-http-other", Architecture.QWEN2, 512, 96, 2, 3, 1, 32, 256, 512, 1e6f, 1e-6f, true, true);

    static final LoraTarget[] ALL = LoraTarget.values();

    private LoraTestModels() {}

    static Path model(Path dir, SyntheticModel.Shape shape) throws IOException {
        Path p = dir.resolve(shape.name() + ".gguf");
        new SyntheticModel(shape, QuantMix.parse("q8_0"), 7, null).write(p, 1, x -> {});
        return p;
    }

    static ModelConfig config(Path model) {
        try (Model m = Model.open(model, new ModelOptions(1, 512, KvCache.Type.F16, 64))) {
            return m.config();
        }
    }

    /**
     * A PEFT adapter with random A and a strong random B on the given projections of every layer,
     * so that its greedy output differs from the base's and from other seeds'.
     */
    static Path adapter(Path dir, ModelConfig base, long seed, int rank, LoraTarget... targets) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        LoraAdapter.Builder b = LoraAdapter.builder("test-" + seed, LoraAdapter.Format.MEMORY, null, base);
        for (int l = 0; l < base.layers(); l++) {
            for (LoraTarget t : targets) {
                int in = t.in(base), out = t.out(base);
                float[] a = new float[rank * in], bm = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
                for (int i = 0; i < bm.length; i++) bm[i] = (float) (rnd.nextGaussian() * 2.0 / Math.sqrt(rank));
                b.put(l, t, LoraPair.fromAB(a, bm, rank, in, out, 1f), t.peftModule(l));
            }
        }
        PeftWriter.write(b.build(), base, dir);
        return dir;
    }

    static Path adapter(Path dir, ModelConfig base, long seed) throws IOException {
        return adapter(dir, base, seed, 4, LoraTarget.Q, LoraTarget.V, LoraTarget.O, LoraTarget.UP, LoraTarget.DOWN);
    }

    /** Test server settings over the model and adapter directory ("off" for none). */
    static Map<String, Object> settings(Path model, Object adapterDir) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model.toString());
        s.put("host", "127.0.0.1");
        s.put("port", 0);
        s.put("threads", 1);
        s.put("parallel", 4);
        s.put("ctx", 512);
        s.put("access-log", "off");
        s.put("kb-dir", "off");
        s.put("tasks-dir", "off");
        s.put("adapter-dir", adapterDir.toString());
        return s;
    }

    /** One adapter of a reference run: the files of the version and the scale. */
    record Use(Path source, float scale) {}

    /** What the model generates greedily alone for the prompt (as /v1/completions tokenizes it), with these adapters stacked. */
    static String solo(Path model, String prompt, int tokens, List<Use> adapters) {
        return solo(model, prompt, tokens, true, adapters);
    }

    /** As above; ignoreEos false stops at the end-of-generation token, as requests that do not set ignore_eos do. */
    static String solo(Path model, String prompt, int tokens, boolean ignoreEos, List<Use> adapters) {
        try (Model m = Model.open(model, new ModelOptions(1, 512, KvCache.Type.F16, 64))) {
            AdapterStack stack = AdapterStack.NONE;
            for (Use u : adapters) stack = stack.with(LoraFiles.load(u.source(), "ref", m.config()), u.scale());
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            return new Generator(m, tok, stack).generate(m.newSequence(), tok.encode(prompt, true, true),
                    new GenerationRequest(SamplingParams.GREEDY, tokens, List.of(), ignoreEos), t -> true).text();
        }
    }

    static String solo(Path model, String prompt, int tokens, Path... adapters) {
        List<Use> uses = new ArrayList<>();
        for (Path p : adapters) uses.add(new Use(p, 1f));
        return solo(model, prompt, tokens, uses);
    }
}
