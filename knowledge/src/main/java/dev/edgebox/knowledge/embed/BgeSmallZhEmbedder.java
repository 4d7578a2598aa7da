package dev.edgebox.knowledge.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The default embedder: BAAI bge-small-zh-v1.5, int8-quantized ONNX, shipped inside a Maven artifact
 * (no download), 512 dimensions, Chinese and English. Queries get the model's retrieval instruction.
 * Text is lower-cased first: the model was trained with a lower-casing tokenizer, and the shipped
 * tokenizer.json does not lower-case, so "Apple" would otherwise become [UNK].
 */
public final class BgeSmallZhEmbedder implements Embedder {
    public static final String ID = "bge-small-zh-v1.5-q";
    public static final int DIMENSION = 512;
    /** The instruction bge-zh-v1.5 expects in front of a short query that looks for passages. */
    public static final String QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";
    private static final String TOKENIZER = "/bge-small-zh-v1.5-q-tokenizer.json";

    static {
        // langchain4j logs through SLF4J; without a backend SLF4J warns on stderr at first use.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    private final ExecutorService pool;
    private final BgeSmallZhV15QuantizedEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;

    public BgeSmallZhEmbedder() {
        // ONNX Runtime already uses every core inside one inference; two in flight keep it busy.
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "embedder");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = BgeSmallZhV15QuantizedEmbeddingModel.class.getResourceAsStream(TOKENIZER)) {
            if (in == null) throw new KnowledgeException("the embedding model's tokenizer " + TOKENIZER + " is missing from the class path");
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
            model = new BgeSmallZhV15QuantizedEmbeddingModel(pool);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            pool.shutdownNow();
            if (e instanceof KnowledgeException k) throw k;
            throw new KnowledgeException("cannot load the embedding model " + ID + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embedQuery(String query) {
        return Embedder.normalize(model.embed(QUERY_INSTRUCTION + prepare(query)).content().vector());
    }

    @Override
    public List<float[]> embedPassages(List<String> passages) {
        if (passages.isEmpty()) return List.of();
        List<TextSegment> segments = passages.stream().map(p -> TextSegment.from(prepare(p))).toList();
        List<float[]> out = new ArrayList<>(passages.size());
        for (Embedding e : model.embedAll(segments).content()) out.add(Embedder.normalize(e.vector()));
        return out;
    }

    @Override
    public TokenCounter tokenCounter() {
        return text -> text.isBlank() ? 0 : tokenizer.encode(prepare(text), false, false).getIds().length;
    }

    private static String prepare(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.isBlank() ? "." : t; // the model rejects empty input
    }

    @Override
    public void close() {
        pool.shutdownNow();
        tokenizer.close();
    }
}
