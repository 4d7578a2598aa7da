package dev.edgebox.engine.lora;

import dev.edgebox.engine.gguf.GgufWriter;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes an adapter as a llama.cpp LoRA GGUF (F32), readable by llama.cpp and by
 * {@link GgufAdapterReader}. The format has one alpha for the whole file and llama.cpp scales each
 * pair by alpha / rank; a pair whose scale differs (rank_pattern, alpha_pattern, rsLoRA) gets the
 * difference folded into its B.
 */
public final class LoraGgufWriter {
    private LoraGgufWriter() {}

    public static void write(LoraAdapter adapter, Path out) throws IOException {
        String arch = adapter.architecture().ggufName;
        float alpha = fileAlpha(adapter);
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", arch);
        w.putString("general.type", "adapter");
        w.putString("general.name", adapter.name());
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", alpha);
        w.putUint32(arch + ".block_count", adapter.layers());
        for (int l = 0; l < adapter.layers(); l++) {
            for (int t = 0; t < LoraTarget.count(); t++) {
                LoraTarget target = LoraTarget.of(t);
                LoraPair p = adapter.pair(l, target);
                if (p == null) continue;
                float fileScale = alpha / p.rank();
                float[] b = p.b();
                if (fileScale != p.scale()) {
                    float fold = p.scale() / fileScale;
                    for (int i = 0; i < b.length; i++) b[i] *= fold;
                }
                String name = target.ggufWeight(l);
                w.addTensor(name + ".lora_a", GgmlType.F32, new long[] {p.in(), p.rank()}, bytes(p.a()));
                w.addTensor(name + ".lora_b", GgmlType.F32, new long[] {p.rank(), p.out()}, bytes(b));
            }
        }
        w.write(out);
    }

    /** alpha such that alpha / rank reproduces the first pair's scale (usually every pair's). */
    private static float fileAlpha(LoraAdapter adapter) {
        for (int l = 0; l < adapter.layers(); l++) {
            for (int t = 0; t < LoraTarget.count(); t++) {
                LoraPair p = adapter.pair(l, LoraTarget.of(t));
                if (p != null && p.scale() != 0) return (float) ((double) p.scale() * p.rank());
            }
        }
        return 1f;
    }

    static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
