package dev.edgebox.engine.model;

import dev.edgebox.engine.tensor.AttentionKernels;
import dev.edgebox.engine.tensor.Parallel;
import java.util.Arrays;

/**
 * Causal attention of a batch for one layer: each (token, head) attends to its own sequence up to
 * its position. A job is one token and one kv head with the query heads that share it (or a slice
 * of them, when there are too few tokens to keep every thread busy). The job reads its sequence's
 * keys, then values, as floats a chunk of positions at a time, once for all its heads: the F16
 * cache's conversion and the reads are shared by the group (7 heads on Qwen2.5-0.5B), and a chunk
 * stays in L1 while every head uses it. Results have the bits of one head at a time
 * ({@link AttentionKernels}), whatever the grouping.
 */
final class Attention {
    /** Floats of keys or values converted per chunk: 32 KB, inside L1 with the queries and scores. */
    private static final int CHUNK_FLOATS = 8192;

    private final int heads, kvHeads, hd, group;
    private final float scale;
    private final int chunkPositions;
    // Per worker thread: the scores of a job's heads (group x context), a chunk of keys or values.
    private final float[][] scores, chunk;

    Attention(ModelConfig c, int threads, int maxContext) {
        heads = c.heads();
        kvHeads = c.kvHeads();
        hd = c.headDim();
        group = heads / kvHeads;
        scale = (float) (1.0 / Math.sqrt(hd));
        // Whole blocks of keys (KvCache.keysByDimension reads from a block boundary).
        chunkPositions = Math.max(1, CHUNK_FLOATS / hd / KvCache.KEY_BLOCK) * KvCache.KEY_BLOCK;
        scores = new float[threads][group * maxContext];
        chunk = new float[threads][chunkPositions * hd];
    }

    /** att[i * qDim + h * hd ..] = attention of query head h of token i, for every token of the batch. */
    void run(Parallel pool, int layer, Batch batch, float[] q, float[] att) {
        int n = batch.size();
        int longest = 1;
        for (int i = 0; i < n; i++) longest = Math.max(longest, batch.position(i) + 1);
        // Slices of a group: enough jobs for every thread (decode has one token), few enough to share the chunks.
        int slices = Math.min(group, Math.ceilDiv(2 * pool.threads(), n * kvHeads));
        int perJob = Math.ceilDiv(group, slices);
        // Jobs of at least ~64k multiply-adds: short decode steps stay on this thread, hand-offs cost more.
        int minJobs = Math.max(1, 65536 / (longest * hd * perJob));
        pool.forRange(n * kvHeads * slices, minJobs, (worker, start, end) -> {
            for (int job = start; job < end; job++) {
                int slice = job % slices, g = job / slices % kvHeads, i = job / slices / kvHeads;
                int first = g * group + slice * group / slices, last = g * group + (slice + 1) * group / slices;
                headsOfOneToken(worker, layer, batch, i, g, first, last, q, att);
            }
        });
    }

    /** Query heads [first, last) of token i, all reading kv head g. */
    private void headsOfOneToken(int worker, int layer, Batch batch, int i, int g, int first, int last, float[] q, float[] att) {
        KvCache seq = batch.sequence(i);
        int len = batch.position(i) + 1, qDim = heads * hd;
        float[] s = scores[worker], buf = chunk[worker];
        // Scores of head h at s[(h - first) * len ..].
        for (int from = 0; from < len; from += chunkPositions) {
            int m = Math.min(chunkPositions, len - from);
            seq.keysByDimension(layer, g, from, m, buf);
            for (int h = first; h < last; h++) {
                AttentionKernels.keyDots(q, i * qDim + h * hd, buf, m, hd, s, (h - first) * len + from);
            }
        }
        for (int h = first; h < last; h++) {
            Ops.softmax(s, (h - first) * len, len, scale);
            Arrays.fill(att, i * qDim + h * hd, i * qDim + (h + 1) * hd, 0f);
        }
        for (int from = 0; from < len; from += chunkPositions) {
            int m = Math.min(chunkPositions, len - from);
            seq.values(layer, g, from, m, buf);
            int h = first;
            for (; h + 2 <= last; h += 2) {
                AttentionKernels.weightedValues2(buf, m, hd, s, (h - first) * len + from, (h + 1 - first) * len + from,
                        att, i * qDim + h * hd, i * qDim + (h + 1) * hd);
            }
            if (h < last) AttentionKernels.weightedValues(buf, m, hd, s, (h - first) * len + from, att, i * qDim + h * hd);
        }
    }
}
