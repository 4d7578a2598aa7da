package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.testing.Shared;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real files made by llama-quantize (d8a24ccee, no imatrix) from the same F32 master: quantizing the
 * master's tensors with our quantizers must reproduce every quantized tensor byte for byte, and our
 * dequantize of the file must equal our dequantize of our own bytes (trivially, once equal).
 */
class LlamaQuantizeFilesTest {
    private static final String DIR = "reference/models/tiny-qwen2/";

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q6_k", "q5_k", "q4_k", "q4_k_m"})
    void ourQuantizersReproduceLlamaQuantize(String variant) {
        Path master = Shared.require(DIR + "tiny-qwen2-f32.gguf");
        Path quantized = Shared.require(DIR + "tiny-qwen2-" + variant + ".gguf");
        int compared = 0;
        try (GgufFile f32 = GgufFile.open(master); GgufFile q = GgufFile.open(quantized); Arena arena = Arena.ofConfined()) {
            for (TensorInfo t : q.tensorList()) {
                if (t.type() == GgmlType.F32) continue;
                TensorInfo src = f32.tensor(t.name());
                assertEquals(GgmlType.F32, src.type(), t.name());
                assertEquals(t.elementCount(), src.elementCount(), t.name());
                float[] values = new float[Math.toIntExact(src.elementCount())];
                TensorTypes.of(GgmlType.F32).dequantize(src.data(), 0, values, 0, values.length);
                TensorType type = TensorTypes.of(t.type(), t.name());
                MemorySegment ours = arena.allocate(t.byteSize(), 64);
                type.quantize(values, 0, values.length, ours, 0);
                long mismatch = ours.mismatch(t.data().asSlice(0, t.byteSize()));
                if (mismatch >= 0) {
                    long block = mismatch / t.type().blockBytes;
                    fail(variant + " " + t + ": first differing byte " + mismatch + " (block " + block + ", byte "
                            + mismatch % t.type().blockBytes + " of it)");
                }
                compared++;
            }
        }
        assertTrue(compared > 0, "no quantized tensors in " + quantized);
    }
}
