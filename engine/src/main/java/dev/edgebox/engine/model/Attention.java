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

    /**
     * Consecutive tokens of one sequence per job, at most: they share each chunk's conversion from
     * the F16 cache, which cost about as much as the chunk's multiply-adds for one token's heads.
     */
    private static final int RUN = 4;

    private final int heads, kvHeads, hd, group, maxContext;
    private final float scale;
    private final int chunkPositions;
    // Per worker thread: the scores of a job's tokens and heads (RUN x group x context), a chunk of keys or values.
    private final float[][] scores, chunk;
    /** Where each run of tokens starts, the batch's end last (rebuilt per call; grows with the batch). */
    private int[] runStarts = new int[2];

    Attention(ModelConfig c, int threads, int maxContext) {
        heads = c.heads();
        kvHeads = c.kvHeads();
        hd = c.headDim();
        group = heads / kvHeads;
        this.maxContext = maxContext;
        scale = (float) (1.0 / Math.sqrt(hd));
        // Whole blocks of keys (KvCache.keysByDimension reads from a block boundary).
        chunkPositions = Math.max(1, CHUNK_FLOATS / hd / KvCache.KEY_BLOCK) * KvCache.KEY_BLOCK;
        scores = new float[threads][RUN * group * maxContext];
        chunk = new float[threads][chunkPositions * hd];
    }

    /** att[i * qDim + h * hd ..] = attention of query head h of token i, for every token of the batch. */
    void run(Parallel pool, int layer, Batch batch, float[] q, float[] att) {
        int n = batch.size();
        int longest = 1;
        for (int i = 0; i < n; i++) longest = Math.max(longest, batch.position(i) + 1);
        int runs = splitIntoRuns(batch);
        int[] starts = runStarts;
        // Slices of a group: enough jobs for every thread (decode has one token), few enough to share the chunks.
        int slices = Math.min(group, Math.ceilDiv(2 * pool.threads(), runs * kvHeads));
        int perJob = Math.ceilDiv(group, slices);
        // Jobs of at least ~64k multiply-adds: short decode steps stay on this thread, hand-offs cost more.
        int minJobs = Math.max(1, 65536 / (longest * hd * perJob));
        pool.forRange(runs * kvHeads * slices, minJobs, (worker, start, end) -> {
            for (int job = start; job < end; job++) {
                int slice = job % slices, g = job / slices % kvHeads, run = job / slices / kvHeads;
                int first = g * group + slice * group / slices, last = g * group + (slice + 1) * group / slices;
                headsOfTokens(worker, layer, batch, starts[run], starts[run + 1], g, first, last, q, att);
            }
        });
    }

    /** Cuts the batch into runs of at most RUN consecutive tokens of one sequence, into runStarts; returns their count. */
    private int splitIntoRuns(Batch batch) {
        int n = batch.size();
        if (runStarts.length < n + 1) runStarts = new int[n + 1];
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (runs == 0 || i - runStarts[runs - 1] == RUN || batch.sequence(i) != batch.sequence(i - 1)) runStarts[runs++] = i;
        }
        runStarts[runs] = n;
        return runs;
    }

    /**
     * Query heads [first, last) of tokens [i0, i1) (one sequence), all reading kv head g. Each token
     * reads the same chunks as on its own (chunks start at multiples of chunkPositions), so its
     * results do not depend on the run it is in.
     */
    private void headsOfTokens(int worker, int layer, Batch batch, int i0, int i1, int g, int first, int last, float[] q, float[] att) {
        KvCache seq = batch.sequence(i0);
        int qDim = heads * hd, nh = last - first, longest = 0;
        for (int i = i0; i < i1; i++) longest = Math.max(longest, batch.position(i) + 1);
        float[] s = scores[worker], buf = chunk[worker];
        // Scores of token i, head h at s[((i - i0) * nh + h - first) * maxContext ..].
        for (int from = 0; from < longest; from += chunkPositions) {
            seq.keysByDimension(layer, g, from, Math.min(chunkPositions, longest - from), buf);
            for (int i = i0; i < i1; i++) {
                int m = Math.min(chunkPositions, batch.position(i) + 1 - from);
                if (m <= 0) continue;
                for (int h = first; h < last; h++) {
                    AttentionKernels.keyDots(q, i * qDim + h * hd, buf, m, hd, s, ((i - i0) * nh + h - first) * maxContext + from);
                }
            }
        }
        for (int i = i0; i < i1; i++) {
            for (int h = first; h < last; h++) {
                Ops.softmax(s, ((i - i0) * nh + h - first) * maxContext, batch.position(i) + 1, scale);
                Arrays.fill(att, i * qDim + h * hd, i * qDim + (h + 1) * hd, 0f);
            }
        }
        for (int from = 0; from < longest; from += chunkPositions) {
            seq.values(layer, g, from, Math.min(chunkPositions, longest - from), buf);
            for (int i = i0; i < i1; i++) {
                int m = Math.min(chunkPositions, batch.position(i) + 1 - from);
                if (m <= 0) continue;
                int base = (i - i0) * nh * maxContext + from, h = first;
                for (; h + 2 <= last; h += 2) {
                    AttentionKernels.weightedValues2(buf, m, hd, s, base + (h - first) * maxContext, base + (h + 1 - first) * maxContext,
                            att, i * qDim + h * hd, i * qDim + (h + 1) * hd);
                }
                if (h < last) AttentionKernels.weightedValues(buf, m, hd, s, base + (h - first) * maxContext, att, i * qDim + h * hd);
            }
        }
    }
}
