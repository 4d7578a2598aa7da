package dev.edgebox.app;

import dev.edgebox.engine.lora.LoraAdapter;
import dev.edgebox.engine.lora.LoraPair;
import dev.edgebox.engine.lora.LoraTarget;
import dev.edgebox.engine.lora.PeftWriter;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Random LoRA adapters for benchmarks: the shapes and size of a real rank-r adapter on all seven
 * projections of every layer (what the decoder pays for), with weights that mean nothing.
 */
final class BenchAdapters {
    private BenchAdapters() {}

    static ModelConfig config(Path model) {
        try (Model m = Model.open(model, ModelOptions.defaults().withThreads(1))) {
            return m.config();
        }
    }

    /** Writes a PEFT directory of rank {@code rank} on q, k, v, o, gate, up and down in every layer. */
    static Path write(Path dir, ModelConfig base, int rank, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        LoraAdapter.Builder b = LoraAdapter.builder(dir.getFileName().toString(), LoraAdapter.Format.MEMORY, null, base);
        for (int l = 0; l < base.layers(); l++) {
            for (LoraTarget t : LoraTarget.values()) {
                int in = t.in(base), out = t.out(base);
                float[] a = new float[rank * in], bm = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
                for (int i = 0; i < bm.length; i++) bm[i] = (float) (rnd.nextGaussian() * 0.01);
                b.put(l, t, LoraPair.fromAB(a, bm, rank, in, out, 2f), t.peftModule(l));
            }
        }
        PeftWriter.write(b.build(), base, dir);
        return dir;
    }
}
