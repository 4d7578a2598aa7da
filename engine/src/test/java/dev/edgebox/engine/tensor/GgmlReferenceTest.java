package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit-exactness against ggml itself (llama.cpp d8a24ccee), from the fixtures in
 * src/test/resources/dev/edgebox/engine/tensor/ggml (see the README there for how they were made).
 */
class GgmlReferenceTest {
    private static final int ROWS = 4, COLS = 256;

    static List<GgmlType> types() {
        return List.of(GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
                GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    }

    /** ggml's type_name: lower case except the K of the K-quants. */
    static String ggmlName(GgmlType t) {
        return t.name().toLowerCase(Locale.ROOT).replace("_k", "_K");
    }

    static byte[] resource(String name) {
        try (InputStream in = GgmlReferenceTest.class.getResourceAsStream("ggml/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource ggml/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] floats(byte[] bytes, int offset, int count) {
        float[] f = new float[count];
        ByteBuffer.wrap(bytes, offset, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static MemorySegment segment(byte[] bytes, int offset, int length) {
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, length), 64);
        MemorySegment.copy(bytes, offset, seg, ValueLayout.JAVA_BYTE, 0, length);
        return seg;
    }

    static float[] input() {
        return floats(resource("input.f32"), 0, ROWS * COLS);
    }

    @ParameterizedTest
    @MethodSource("types")
    void dequantizeIsBitExact(GgmlType g) {
        byte[] file = resource("dequant-" + ggmlName(g) + ".bin");
        int n = g.blockSize == 256 ? 512 : 256;
        int blockBytes = (int) g.bytesFor(n);
        assertEquals(blockBytes + 4 * n, file.length, "fixture size");
        float[] expected = floats(file, blockBytes, n);
        MemorySegment blocks = segment(file, 0, blockBytes);
        TensorType type = TensorTypes.of(g);
        float[] got = new float[n];
        type.dequantize(blocks, 0, got, 0, n);
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(g + " element " + i + ": ggml " + expected[i] + ", ours " + got[i]);
            }
        }
        // From an offset too: the second half on its own.
        float[] half = new float[n / 2];
        type.dequantize(blocks, n / 2, half, 0, n / 2);
        for (int i = 0; i < n / 2; i++) assertEquals(Float.floatToRawIntBits(expected[n / 2 + i]), Float.floatToRawIntBits(half[i]));
    }

    @ParameterizedTest
    @MethodSource("types")
    void quantizeMatchesLlamaQuantizeByteForByte(GgmlType g) {
        byte[] expected = resource("quant-" + ggmlName(g) + ".bin");
        TensorType type = TensorTypes.of(g);
        int bytes = (int) type.rowBytes(COLS) * ROWS;
        assertEquals(bytes, expected.length, "fixture size");
        MemorySegment out = Arena.ofAuto().allocate(bytes, 64);
        type.quantize(input(), 0, ROWS * COLS, out, 0);
        byte[] got = out.toArray(ValueLayout.JAVA_BYTE);
        for (int i = 0; i < bytes; i++) {
            if (got[i] != expected[i]) {
                long block = i / g.blockBytes;
                fail(g + " differs first at byte " + i + " (block " + block + ", byte " + (i % g.blockBytes) + " of it): ggml "
                        + (expected[i] & 0xff) + ", ours " + (got[i] & 0xff));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ActivationFormat.class, names = {"F16", "BF16", "Q8_0", "Q8_1", "Q8_K"})
    void activationsMatchGgmlFromFloat(ActivationFormat format) {
        byte[] expected = resource("act-" + format.name().toLowerCase(Locale.ROOT).replace("_k", "_K") + ".bin");
        Activations a = new Activations(format).set(input(), 0, ROWS, COLS);
        ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        int n = ROWS * COLS;
        switch (format) {
            case F16 -> {
                for (int i = 0; i < n; i++) assertEquals(e.getShort(2 * i), Float.floatToFloat16(a.f[i]), "element " + i);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) assertEquals(e.getShort(2 * i), Bf16.fromFloat(a.f[i]), "element " + i);
            }
            case Q8_0, Q8_1 -> {
                int header = format == ActivationFormat.Q8_0 ? 2 : 4;
                for (int b = 0; b < n / 32; b++) {
                    int off = b * (32 + header);
                    assertEquals(e.getShort(off), Float.floatToFloat16(a.d[b]), "d of block " + b);
                    if (format == ActivationFormat.Q8_1) assertEquals(e.getShort(off + 2), Float.floatToFloat16(a.s[b]), "s of block " + b);
                    for (int j = 0; j < 32; j++) {
                        assertEquals(expected[off + header + j], a.q[32 * b + j], "q of block " + b + " element " + j);
                        assertEquals(a.q[32 * b + j], a.qf()[32 * b + j], "qf mirrors q");
                    }
                }
            }
            case Q8_K -> {
                for (int b = 0; b < n / 256; b++) {
                    int off = b * 292;
                    assertEquals(Float.floatToRawIntBits(e.getFloat(off)), Float.floatToRawIntBits(a.d[b]), "d of block " + b);
                    for (int j = 0; j < 256; j++) assertEquals(expected[off + 4 + j], a.q[256 * b + j], "q of block " + b + " element " + j);
                    for (int g = 0; g < 16; g++) assertEquals(e.getShort(off + 260 + 2 * g), a.bsums[16 * b + g], "bsum " + g + " of block " + b);
                }
            }
            default -> throw new AssertionError(format);
        }
    }

    /**
     * ggml's vec_dot of each quantized input row with each activation row. Float order differs, so a
     * tolerance relative to sum |w x| (1e-5: the scale and min terms of the K-quants cancel, so rounding
     * is relative to terms larger than the result). The F16 fixture is looser: on the machine that made
     * it (AVX512-FP16), ggml's F16 vec_dot accumulates in fp16; ours accumulates in fp32.
     */
    @ParameterizedTest
    @MethodSource("types")
    void matmulAgreesWithGgmlVecDot(GgmlType g) {
        float[] expected = floats(resource("vecdot-" + ggmlName(g) + ".f32"), 0, ROWS * ROWS);
        byte[] weights = resource("quant-" + ggmlName(g) + ".bin");
        TensorType type = TensorTypes.of(g);
        float[] in = input();
        Activations a = new Activations(type.activationFormat()).set(in, 0, ROWS, COLS);
        float[] out = new float[ROWS * ROWS];
        type.matmul(segment(weights, 0, weights.length), COLS, a, ROWS, out, 0, ROWS, 0, ROWS);
        float[] w = new float[ROWS * COLS];
        type.dequantize(segment(weights, 0, weights.length), 0, w, 0, ROWS * COLS);
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < ROWS; t++) {
                double magnitude = 0;
                for (int i = 0; i < COLS; i++) magnitude += Math.abs((double) w[r * COLS + i] * in[t * COLS + i]);
                float ggml = expected[r * ROWS + t], ours = out[t * ROWS + r];
                double tolerance = (g == GgmlType.F16 ? 2e-3 : 1e-5) * magnitude;
                assertTrue(Math.abs(ggml - ours) <= tolerance,
                        g + " row " + r + " token " + t + ": ggml " + ggml + ", ours " + ours + " (sum |w x| " + magnitude + ")");
            }
        }
    }
}
