package dev.edgebox.knowledge.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * BAAI bge-small v1.5 models, int8-quantized ONNX shipped inside Maven artifacts (no download), run
 * in process by ONNX Runtime. Queries get the model's retrieval instruction, passages none.
 * <ul>
 * <li>{@link #ZH} (the default): Chinese and English, 512 dimensions. Its shipped tokenizer.json does not
 * lower-case although the model was trained lower-cased ("Apple" would become [UNK]), so we lower-case.
 * <li>{@link #EN}: English only, 384 dimensions; much better vectors for English text.
 * </ul>
 */
public final class BgeEmbedder implements Embedder {

    /** What differs between the bge variants. */
    public record Variant(String id, int dimension, String tokenizerResource, String queryInstruction,
                          Class<? extends AbstractInProcessEmbeddingModel> modelClass,
                          Function<ExecutorService, AbstractInProcessEmbeddingModel> model) {}

    public static final Variant ZH = new Variant("bge-small-zh-v1.5-q", 512, "/bge-small-zh-v1.5-q-tokenizer.json",
            "为这个句子生成表示以用于检索相关文章：", BgeSmallZhV15QuantizedEmbeddingModel.class, BgeSmallZhV15QuantizedEmbeddingModel::new);
    public static final Variant EN = new Variant("bge-small-en-v1.5-q", 384, "/bge-small-en-v1.5-q-tokenizer.json",
            "Represent this sentence for searching relevant passages: ", BgeSmallEnV15QuantizedEmbeddingModel.class,
            BgeSmallEnV15QuantizedEmbeddingModel::new);

    static {
        // langchain4j logs through SLF4J; without a backend SLF4J warns on stderr at first use.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    private final Variant variant;
    private final ExecutorService pool;
    private final AbstractInProcessEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;

    public BgeEmbedder(Variant variant) {
        this.variant = variant;
        // ONNX Runtime already uses every core inside one inference; two in flight keep it busy.
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "embedder");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = variant.modelClass().getResourceAsStream(variant.tokenizerResource())) {
            if (in == null) throw new KnowledgeException("the tokenizer " + variant.tokenizerResource() + " of " + variant.id() + " is missing from the class path");
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
            model = variant.model().apply(pool);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            pool.shutdownNow();
            if (e instanceof KnowledgeException k) throw k;
            throw new KnowledgeException("cannot load the embedding model " + variant.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return variant.id();
    }

    @Override
    public int dimension() {
        return variant.dimension();
    }

    @Override
    public float[] embedQuery(String query) {
        return Embedder.normalize(model.embed(variant.queryInstruction() + prepare(query)).content().vector());
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
