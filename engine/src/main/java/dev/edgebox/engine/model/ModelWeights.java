package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.tensor.Matrix;
import dev.edgebox.engine.tensor.TensorTypes;
import java.util.Arrays;

/**
 * The tensors of a decoder, found by their llama.cpp names and shape-checked. Matrices stay in the
 * mapped file; only the small norm and bias vectors are decoded onto the heap.
 */
public final class ModelWeights {

    /** One transformer block. Optional parts are null. */
    public record Layer(
            float[] attnNorm,
            Matrix wq, Matrix wk, Matrix wv, Matrix wo,
            float[] bq, float[] bk, float[] bv,
            float[] qNorm, float[] kNorm,
            float[] ffnNorm,
            Matrix gate, Matrix up, Matrix down) {}

    public final Matrix tokenEmbedding;
    public final float[] outputNorm;
    public final Matrix output;
    public final Layer[] layers;
    /** Per-pair RoPE frequency divisors (Llama 3.1+ rope_freqs), or null. */
    public final float[] ropeFreqFactors;

    public ModelWeights(GgufFile file, ModelConfig c) {
        this.tokenEmbedding = matrix(file, "token_embd.weight", c.dim(), c.vocabSize());
        this.outputNorm = vector(file, "output_norm.weight", c.dim());
        this.output = c.tiedOutput() ? tokenEmbedding : matrix(file, "output.weight", c.dim(), c.vocabSize());
        TensorInfo freqs = file.tensor("rope_freqs.weight");
        this.ropeFreqFactors = freqs == null ? null : vector(file, "rope_freqs.weight", c.ropeDims() / 2);
        this.layers = new Layer[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            boolean qk = c.architecture().qkNorm;
            layers[i] = new Layer(
                    vector(file, p + "attn_norm.weight", c.dim()),
                    matrix(file, p + "attn_q.weight", c.dim(), c.qDim()),
                    matrix(file, p + "attn_k.weight", c.dim(), c.kvDim()),
                    matrix(file, p + "attn_v.weight", c.dim(), c.kvDim()),
                    matrix(file, p + "attn_output.weight", c.qDim(), c.dim()),
                    optionalVector(file, p + "attn_q.bias", c.qDim()),
                    optionalVector(file, p + "attn_k.bias", c.kvDim()),
                    optionalVector(file, p + "attn_v.bias", c.kvDim()),
                    qk ? vector(file, p + "attn_q_norm.weight", c.headDim()) : null,
                    qk ? vector(file, p + "attn_k_norm.weight", c.headDim()) : null,
                    vector(file, p + "ffn_norm.weight", c.dim()),
                    matrix(file, p + "ffn_gate.weight", c.dim(), c.ffnDim()),
                    matrix(file, p + "ffn_up.weight", c.dim(), c.ffnDim()),
                    matrix(file, p + "ffn_down.weight", c.ffnDim(), c.dim()));
        }
    }

    private static TensorInfo require(GgufFile file, String name) {
        TensorInfo t = file.tensor(name);
        if (t == null) throw new EngineException(file.path().getFileName() + " lacks tensor " + name);
        return t;
    }

    private static Matrix matrix(GgufFile file, String name, int cols, int rows) {
        TensorInfo t = require(file, name);
        if (t.dims().length != 2 || t.dims()[0] != cols || t.dims()[1] != rows) {
            throw new EngineException("tensor " + name + " has shape " + t.shape() + ", expected [" + cols + ", " + rows + "]");
        }
        return Matrix.of(t);
    }

    private static float[] vector(GgufFile file, String name, int n) {
        TensorInfo t = require(file, name);
        if (t.elementCount() != n) {
            throw new EngineException("tensor " + name + " has shape " + t.shape() + ", expected [" + n + "]");
        }
        float[] out = new float[n];
        TensorTypes.of(t.type(), name).dequantize(t.data(), 0, out, 0, n);
        return out;
    }

    private static float[] optionalVector(GgufFile file, String name, int n) {
        return file.tensor(name) == null ? null : vector(file, name, n);
    }

    /** Total bytes of the matrices (what decode streams per token). */
    public long matrixBytes() {
        long sum = tokenEmbedding.data().byteSize() + (output != tokenEmbedding ? output.data().byteSize() : 0);
        for (Layer l : layers) {
            for (Matrix m : Arrays.asList(l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down())) sum += m.data().byteSize();
        }
        return sum;
    }
}
