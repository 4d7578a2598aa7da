package dev.edgebox.knowledge;

import dev.edgebox.knowledge.chunk.Chunk;
import dev.edgebox.knowledge.chunk.Chunker;
import dev.edgebox.knowledge.document.ParsedDocument;
import dev.edgebox.knowledge.document.Parsers;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.embed.Language;
import dev.edgebox.knowledge.index.ChunkIndex;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.index.IndexStats;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.SearchMode;
import dev.edgebox.knowledge.index.StoredChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * One knowledge base: a directory holding kb.json and a Lucene index. Documents are added,
 * replaced when their content changes, and removed by id; nothing added is durable before
 * {@link #commit()}. The embedder is loaded on first need, so listing or a keyword search never
 * loads the model. A base created with language auto takes the embedder for the language of its
 * first documents before it writes any vector ({@link #decideLanguage}).
 */
public final class KnowledgeBase implements AutoCloseable {
    private static final int EMBED_BATCH = 16;
    private static final double OPTIMIZE_SHARE = 0.1;

    /** What adding a document did. */
    public enum Status { ADDED, UPDATED, UNCHANGED }

    public record Outcome(Status status, DocumentRecord record) {}

    private final Path dir;
    private volatile KbConfig config;
    private final ChunkIndex index;
    private final Function<String, Embedder> embedders;
    private Embedder embedder;

    private KnowledgeBase(Path dir, KbConfig config, Function<String, Embedder> embedders) {
        this.dir = dir;
        this.config = config;
        this.embedders = embedders;
        this.index = ChunkIndex.open(dir.resolve("index"), config.dimension());
    }

    /**
     * Creates a knowledge base in an empty or absent directory.
     *
     * @param embedders gives the embedder for an id; the caller owns (and closes) what it returns
     */
    public static KnowledgeBase create(Path dir, KbConfig config, Function<String, Embedder> embedders) {
        if (Files.exists(dir.resolve(KbConfig.FILE))) throw new KnowledgeException("a knowledge base already exists at " + dir);
        config.write(dir);
        KnowledgeBase kb = new KnowledgeBase(dir, config, embedders);
        kb.index.initialize();
        return kb;
    }

    public static KnowledgeBase open(Path dir, Function<String, Embedder> embedders) {
        return new KnowledgeBase(dir, KbConfig.read(dir), embedders);
    }

    public Path dir() {
        return dir;
    }

    public KbConfig config() {
        return config;
    }

    /** The embedder of this base, loaded on first call. */
    public synchronized Embedder embedder() {
        if (config.undecided()) {
            throw new KnowledgeException("the knowledge base at " + dir + " has no documents yet; its embedder is chosen from the language of the first ones added");
        }
        if (embedder == null) {
            Embedder e = embedders.apply(config.embedder());
            if (e.dimension() != config.dimension()) {
                throw new KnowledgeException("embedder " + e.id() + " makes " + e.dimension() + "-dimensional vectors; this knowledge base holds "
                        + config.dimension());
            }
            embedder = e;
        }
        return embedder;
    }

    /**
     * Gives a base created with language auto the embedder for the language of this sample (e.g.
     * the text of the documents about to be added) and records it in kb.json; does nothing when
     * the base already has an embedder. Returns the language of the base's embedder.
     */
    public synchronized Optional<Language> decideLanguage(CharSequence sample) {
        if (config.undecided()) {
            Language detected = Language.detect(sample);
            KbConfig decided = config.decide(detected);
            decided.write(dir);
            index.dimension(decided.dimension());
            config = decided;
        }
        return Arrays.stream(Language.values()).filter(l -> l.embedder().equals(config.embedder())).findFirst();
    }

    /** Parses, chunks, embeds and indexes a file (not yet durable: call {@link #commit()}). */
    public Outcome add(SourceFile file, String docId, IntConsumer chunksEmbedded) {
        String hash = file.contentHash();
        Optional<String> existing = index.contentHash(docId);
        if (existing.isPresent() && existing.get().equals(hash)) return unchanged(docId);
        ParsedDocument doc = Parsers.parse(file);
        return put(docId, file.name(), hash, doc, file.content().length, existing.isPresent(), chunksEmbedded);
    }

    /** Indexes an already parsed document (e.g. a corpus record); unchanged when the hash matches. */
    public Outcome add(String docId, String source, String contentHash, ParsedDocument doc, long bytes) {
        Optional<String> existing = index.contentHash(docId);
        if (existing.isPresent() && existing.get().equals(contentHash)) return unchanged(docId);
        return put(docId, source, contentHash, doc, bytes, existing.isPresent(), n -> { });
    }

    private Outcome unchanged(String docId) {
        return new Outcome(Status.UNCHANGED, index.document(docId).orElseThrow());
    }

    private Outcome put(String docId, String source, String hash, ParsedDocument doc, long bytes, boolean replacing,
                        IntConsumer chunksEmbedded) {
        String text = doc.text();
        // when nothing better was given the first document with text decides; one without (a scan) has no chunks anyway
        if (!text.isBlank()) decideLanguage(text);
        Embedder e = config.undecided() ? null : embedder();
        List<Chunk> chunks = e == null ? List.of() : new Chunker(e.tokenCounter(), config.chunking()).chunk(doc);
        List<StoredChunk> stored = new ArrayList<>(chunks.size());
        List<float[]> vectors = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
            vectors.addAll(e.embedPassages(batch.stream().map(Chunk::indexedText).toList()));
            chunksEmbedded.accept(batch.size());
        }
        for (Chunk c : chunks) {
            stored.add(new StoredChunk(docId, source, hash, c.ordinal(), c.text(), c.headings(), c.page(), c.lastPage(), doc.unit().name()));
        }
        DocumentRecord record = new DocumentRecord(docId, source, hash, doc.unit().name(), doc.pages(), chunks.size(), bytes,
                System.currentTimeMillis());
        index.put(record, stored, vectors);
        return new Outcome(replacing ? Status.UPDATED : Status.ADDED, record);
    }

    /**
     * Indexes a document whose chunks are already cut and embedded (e.g. a benchmark's corpus),
     * replacing any document with its id; not yet durable: call {@link #commit()}.
     */
    public void put(DocumentRecord record, List<StoredChunk> chunks, List<float[]> vectors) {
        if (config.undecided()) throw new KnowledgeException("the knowledge base at " + dir + " has no embedder yet; vectors cannot be added");
        index.put(record, chunks, vectors);
    }

    /** Makes every add and remove so far survive a crash. */
    public void commit() {
        index.commit();
    }

    /**
     * Whether to {@link #optimize()} after adding this many chunks: when they are at least a tenth
     * of all and the index has several segments. Searches then stay fast after big additions while
     * small ones cost no merge, and a merge costs well under 1 % of the embedding time of what was
     * added.
     */
    public boolean worthOptimizing(int addedChunks) {
        if (addedChunks <= 0) return false;
        IndexStats s = index.stats();
        return s.segments() > 1 && addedChunks >= OPTIMIZE_SHARE * s.chunks();
    }

    /** Merges the index into one segment and commits: searches visit one HNSW graph instead of one per segment. */
    public void optimize() {
        index.optimize();
    }

    /** Removes a document and commits; false when there was no such document. */
    public boolean remove(String docId) {
        boolean removed = index.delete(docId);
        if (removed) index.commit();
        return removed;
    }

    public List<SearchHit> query(KbQuery q) {
        if (config.undecided()) return List.of(); // no documents yet
        return query(q, q.mode() == SearchMode.BM25 ? null : embedder().embedQuery(q.text()));
    }

    /** A query whose vector the caller already has (e.g. to run several modes with one embedding). */
    public List<SearchHit> query(KbQuery q, float[] queryVector) {
        return index.search(q.text(), queryVector, q.mode(), q.fusion(), q.k(), q.sources());
    }

    public List<DocumentRecord> documents() {
        return index.documents();
    }

    public Optional<DocumentRecord> document(String docId) {
        return index.document(docId);
    }

    public List<StoredChunk> chunks(String docId) {
        return index.chunks(docId);
    }

    public IndexStats stats() {
        return index.stats();
    }

    /** Commits what is pending and closes the index; the embedder belongs to whoever supplied it. */
    @Override
    public void close() {
        index.close();
    }
}
