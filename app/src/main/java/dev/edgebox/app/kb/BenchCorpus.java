package dev.edgebox.app.kb;

import dev.edgebox.knowledge.chunk.Chunk;
import dev.edgebox.knowledge.chunk.Chunker;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.eval.BeirDataset;
import dev.edgebox.knowledge.eval.Evaluation;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.index.StoredChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The chunks of the benchmark index. Real passages (seed documents chunked as {@code kb eval}
 * chunks them) are embedded once by the real model; the index then holds every seed chunk as it is,
 * followed by variants of them until it has the size asked for: a variant keeps its seed's text plus
 * one sentence of another seed, and its seed's vector plus a little Gaussian noise, renormalized. So
 * words and vectors follow real distributions without embedding 100k chunks.
 */
final class BenchCorpus {
    /** Chunks per synthetic document, about what a ten-page PDF gives. */
    static final int CHUNKS_PER_DOCUMENT = 8;
    private static final int EMBED_BATCH = 16;

    record Seed(String text, List<String> headings, String indexedText, float[] vector) {}

    private final List<Seed> seeds;
    private final float noise;

    private BenchCorpus(List<Seed> seeds, float noise) {
        this.seeds = seeds;
        this.noise = noise;
    }

    /**
     * Chunks the documents with the embedder's tokenizer and embeds every chunk (through a cache,
     * the vectors of a previous run or of {@code kb eval} on the same corpus cost nothing).
     *
     * @param embedded told how many chunks were embedded so far
     */
    static BenchCorpus of(List<BeirDataset.Doc> docs, Embedder embedder, ChunkingOptions chunking, float noise, IntConsumer embedded) {
        Chunker chunker = new Chunker(embedder.tokenCounter(), chunking);
        List<Chunk> chunks = new ArrayList<>();
        for (BeirDataset.Doc d : docs) chunks.addAll(chunker.chunk(Evaluation.document(d)));
        List<Seed> seeds = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
            List<float[]> vectors = embedder.embedPassages(batch.stream().map(Chunk::indexedText).toList());
            for (int i = 0; i < batch.size(); i++) {
                Chunk c = batch.get(i);
                seeds.add(new Seed(c.text(), c.headings(), c.indexedText(), vectors.get(i)));
            }
            embedded.accept(from + batch.size());
        }
        return new BenchCorpus(seeds, noise);
    }

    List<Seed> seeds() {
        return Collections.unmodifiableList(seeds);
    }

    /** A synthetic document of the index: its record, chunks and vectors. */
    record Document(DocumentRecord record, List<StoredChunk> chunks, List<float[]> vectors) {}

    /** Document {@code d} of an index of {@code total} chunks; the same for the same arguments. */
    Document document(int d, int total) {
        String id = String.format("bench-%06d", d), source = "bench/" + id + ".txt";
        int first = d * CHUNKS_PER_DOCUMENT, n = Math.min(CHUNKS_PER_DOCUMENT, total - first);
        List<StoredChunk> chunks = new ArrayList<>(n);
        List<float[]> vectors = new ArrayList<>(n);
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int c = first + i;
            Seed seed = seeds.get(c % seeds.size());
            String text = seed.text();
            float[] vector = seed.vector();
            if (c >= seeds.size()) { // a variant
                Random r = new Random(c);
                text = text + " " + sentence(seeds.get(r.nextInt(seeds.size())).text(), r);
                vector = perturbed(vector, r);
            }
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            chunks.add(new StoredChunk(id, source, "bench", i, text, seed.headings(), 0, 0, "NONE"));
            vectors.add(vector);
        }
        return new Document(new DocumentRecord(id, source, "bench", "NONE", 0, n, bytes, System.currentTimeMillis()), chunks, vectors);
    }

    static int documents(int chunks) {
        return (chunks + CHUNKS_PER_DOCUMENT - 1) / CHUNKS_PER_DOCUMENT;
    }

    private static String sentence(String text, Random r) {
        String[] sentences = text.split("(?<=[.!?。！？])\\s*");
        return sentences[r.nextInt(sentences.length)];
    }

    private float[] perturbed(float[] v, Random r) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] + noise * (float) r.nextGaussian();
        return Embedder.normalize(out);
    }

    /** Mean cosine between a seed and its variants: how close the copies are, for the report. */
    double variantCosine(int samples) {
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            Random r = new Random(s);
            float[] v = seeds.get(s % seeds.size()).vector(), p = perturbed(v, r);
            double dot = 0;
            for (int i = 0; i < v.length; i++) dot += v[i] * p[i];
            sum += dot;
        }
        return sum / samples;
    }
}
