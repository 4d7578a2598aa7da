package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.GgufWriter;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.Parallel;
import dev.edgebox.engine.tensor.TensorType;
import dev.edgebox.engine.tensor.TensorTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bakes adapters into a base model: every adapted weight becomes W + sum of scale * B A, computed
 * in float32 and quantized to the chosen type (default: the weight's own type). Everything else,
 * metadata and untouched tensors, is copied byte for byte. Rows stream through in chunks, so a
 * multi-gigabyte model never sits in memory.
 */
public final class LoraMerge {
    private static final int CHUNK_BYTES = 4 << 20;

    private LoraMerge() {}

    /**
     * @param type the type of the merged weights, or null to keep each weight's own type
     * @return the number of weights changed
     */
    public static int write(GgufFile base, ModelConfig config, AdapterStack adapters, GgmlType type, Path out, Parallel pool)
            throws IOException {
        if (adapters.isEmpty()) throw new EngineException("nothing to merge: give at least one adapter");
        for (int i = 0; i < adapters.size(); i++) adapters.adapter(i).requireFits(config);
        if (type != null) TensorTypes.of(type, "--type"); // fails early on a type we cannot write

        GgufWriter w = new GgufWriter().putAll(base.metadata());
        int changed = 0;
        for (TensorInfo t : base.tensorList()) {
            List<AdapterStack.Entry> deltas = deltasFor(t.name(), config, adapters);
            if (deltas.isEmpty()) {
                w.addTensor(t.name(), t.type(), t.dims(), o -> copy(t.data(), o));
                continue;
            }
            GgmlType target = type != null ? type : t.type();
            if (t.columns() % target.blockSize != 0) {
                throw new EngineException(t.name() + " has rows of " + t.columns() + " values, not a multiple of "
                        + target.displayName() + "'s block of " + target.blockSize + "; choose another --type");
            }
            TensorType from = TensorTypes.of(t.type(), t.name()), to = TensorTypes.of(target, t.name());
            int layer = Integer.parseInt(t.name().split("\\.")[1]);
            LoraTarget lt = targetOf(t.name());
            w.addTensor(t.name(), target, t.dims(), o -> mergeRows(t, from, to, layer, lt, deltas, o, pool));
            changed++;
        }
        w.write(out);
        return changed;
    }

    /** The adapters (with their request scales) that change this tensor. */
    private static List<AdapterStack.Entry> deltasFor(String tensor, ModelConfig c, AdapterStack adapters) {
        List<AdapterStack.Entry> list = new ArrayList<>();
        LoraTarget t = targetOf(tensor);
        if (t == null) return list;
        int layer = Integer.parseInt(tensor.split("\\.")[1]);
        if (layer >= c.layers()) return list;
        for (AdapterStack.Entry e : adapters.entries()) if (e.adapter().pair(layer, t) != null) list.add(e);
        return list;
    }

    private static LoraTarget targetOf(String tensor) {
        String[] p = tensor.split("\\.");
        if (p.length != 4 || !p[0].equals("blk") || !p[3].equals("weight") || !p[1].matches("\\d{1,6}")) return null;
        return LoraTarget.byGgufName(p[2]);
    }

    private static void mergeRows(TensorInfo t, TensorType from, TensorType to, int layer, LoraTarget target,
                                  List<AdapterStack.Entry> deltas, OutputStream out, Parallel pool) throws IOException {
        int cols = t.columns(), rows = t.rows();
        long rowBytes = to.rowBytes(cols);
        int chunk = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / Math.max(rowBytes, 4L * cols)));
        float[] values = new float[chunk * cols];
        byte[] bytes = new byte[(int) (chunk * rowBytes)];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int n = Math.min(chunk, rows - r0), first = r0;
            pool.forRange(n, 1, (a, b) -> {
                for (int r = a; r < b; r++) {
                    int o = first + r;
                    from.dequantize(t.data(), (long) o * cols, values, r * cols, cols);
                    for (AdapterStack.Entry e : deltas) addDeltaRow(e.adapter().pair(layer, target), e.scale(), o, values, r * cols);
                    to.quantize(values, r * cols, cols, seg, r * rowBytes);
                }
            });
            out.write(bytes, 0, (int) (n * rowBytes));
        }
    }

    /** row += userScale * scale * sum_j B[o][j] A[j]. */
    static void addDeltaRow(LoraPair p, float userScale, int o, float[] row, int off) {
        float s = userScale * p.scale();
        for (int j = 0; j < p.rank(); j++) LoraDeltas.axpy(s * p.bt()[j * p.out() + o], p.a(), j * p.in(), row, off, p.in());
    }

    private static void copy(MemorySegment data, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 20];
        for (long pos = 0; pos < data.byteSize(); pos += buf.length) {
            int n = (int) Math.min(buf.length, data.byteSize() - pos);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, buf, 0, n);
            out.write(buf, 0, n);
        }
    }
}
