package dev.edgebox.knowledge.index;

import dev.edgebox.knowledge.KnowledgeException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The Lucene index of one knowledge base: for every document one record entry and its chunks, all
 * carrying the document id so that a document is replaced or removed in one atomic step. Chunks have
 * BM25 text and an int8-quantized HNSW vector. Nothing is durable before {@link #commit()}; after it
 * returns, a kill -9 loses nothing that was put before.
 */
public final class ChunkIndex implements Closeable {
    private static final String KIND = "kind", KIND_DOC = "doc", KIND_CHUNK = "chunk";
    private static final String DOC_ID = "doc_id", SOURCE = "source", FILE = "file", HASH = "hash";
    private static final String TEXT = "text", BODY = "body", HEADINGS = "headings", ORDINAL = "ordinal";
    private static final String PAGE = "page", LAST_PAGE = "last_page", UNIT = "unit", VECTOR = "vector";
    private static final String PAGES = "pages", CHUNKS = "chunks", BYTES = "bytes", ADDED = "added";
    private static final String HEADING_SEPARATOR = "\u001f";

    private final Path path;
    private final Directory directory;
    private volatile int dimension;
    private final Analyzer analyzer = new MixedLanguageAnalyzer();
    /** Anserini's BEIR settings; Lucene's defaults (1.2, 0.75) over-reward long chunks. */
    private final BM25Similarity similarity = new BM25Similarity(0.9f, 0.4f);
    private IndexWriter writer;
    private SearcherManager searchers;
    /** Content hash by document id while this process writes: checking for an unchanged file costs no reopen. */
    private final Map<String, String> hashes = new HashMap<>();
    /**
     * Whether this process changed the index since the searcher was last refreshed. Refreshing
     * costs milliseconds (it lists the directory and reads every segment's info), so a search
     * refreshes only after a change here, or to see other processes' commits at most every second.
     */
    private volatile boolean changed = true;
    private volatile long lastRefresh;
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private ChunkIndex(Path path, int dimension) throws IOException {
        this.path = path;
        this.directory = FSDirectory.open(path);
        this.dimension = dimension;
    }

    public static ChunkIndex open(Path path, int dimension) {
        try {
            Files.createDirectories(path);
            return new ChunkIndex(path, dimension);
        } catch (IOException e) {
            throw new KnowledgeException("cannot open the index at " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sets the vector size of an index opened before it was known (0). */
    public synchronized void dimension(int dimension) {
        if (this.dimension != 0 && this.dimension != dimension) {
            throw new IllegalStateException("the index holds " + this.dimension + "-dimensional vectors, not " + dimension);
        }
        this.dimension = dimension;
    }

    /** Replaces (or adds) a document and its chunks; visible to searches at once, durable at commit. */
    public synchronized void put(DocumentRecord record, List<StoredChunk> chunks, List<float[]> vectors) {
        if (chunks.size() != vectors.size()) throw new IllegalArgumentException(chunks.size() + " chunks but " + vectors.size() + " vectors");
        List<Document> docs = new ArrayList<>(chunks.size() + 1);
        docs.add(recordDocument(record));
        for (int i = 0; i < chunks.size(); i++) docs.add(chunkDocument(chunks.get(i), vectors.get(i)));
        try {
            writer().updateDocuments(new Term(DOC_ID, record.docId()), docs);
            hashes.put(record.docId(), record.contentHash());
            changed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a document; returns false when there was none with this id. */
    public synchronized boolean delete(String docId) {
        if (contentHash(docId).isEmpty()) return false;
        try {
            writer().deleteDocuments(new Term(DOC_ID, docId));
            hashes.remove(docId);
            changed = true;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the first, empty commit of a new index, so that it can be opened and checked from the start. */
    public synchronized void initialize() {
        try {
            writer().commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes everything put or deleted so far durable (fsync), then visible to new readers. */
    public synchronized void commit() {
        if (writer == null) return;
        try {
            writer.commit();
            changed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Merges the index into one segment and commits. A search visits every segment's HNSW graph
     * and postings: at 100k chunks, 8 segments made vector search 3-6 times and keyword search
     * twice as slow as one. Costs about 0.6 ms a chunk (a minute at 100k) on a small CPU.
     */
    public synchronized void optimize() {
        try {
            writer().forceMerge(1);
            writer.commit();
            changed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The content hash of a document, if the index has it. */
    public synchronized Optional<String> contentHash(String docId) {
        try {
            writer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.ofNullable(hashes.get(docId));
    }

    public Optional<DocumentRecord> document(String docId) {
        return withSearcher(s -> {
            var top = s.search(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(DOC_ID, docId)), Occur.FILTER)
                    .add(new TermQuery(new Term(KIND, KIND_DOC)), Occur.FILTER).build(), 1);
            return top.scoreDocs.length == 0 ? Optional.<DocumentRecord>empty()
                    : Optional.of(readRecord(s.storedFields().document(top.scoreDocs[0].doc)));
        }, Optional.empty());
    }

    /** Every document, sorted by source. */
    public List<DocumentRecord> documents() {
        return withSearcher(s -> {
            Query q = new TermQuery(new Term(KIND, KIND_DOC));
            int n = Math.max(1, s.count(q));
            StoredFields stored = s.storedFields();
            List<DocumentRecord> out = new ArrayList<>();
            for (ScoreDoc sd : s.search(q, n).scoreDocs) out.add(readRecord(stored.document(sd.doc)));
            out.sort(Comparator.comparing(DocumentRecord::source).thenComparing(DocumentRecord::docId));
            return out;
        }, List.of());
    }

    /** The chunks of one document in order. */
    public List<StoredChunk> chunks(String docId) {
        return withSearcher(s -> {
            Query q = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(DOC_ID, docId)), Occur.FILTER)
                    .add(new TermQuery(new Term(KIND, KIND_CHUNK)), Occur.FILTER).build();
            int n = Math.max(1, s.count(q));
            StoredFields stored = s.storedFields();
            List<StoredChunk> out = new ArrayList<>();
            for (ScoreDoc sd : s.search(q, n).scoreDocs) out.add(readChunk(stored.document(sd.doc)));
            out.sort(Comparator.comparingInt(StoredChunk::ordinal));
            return out;
        }, List.of());
    }

    /**
     * Searches chunks. {@code vector} may be null in BM25 mode; {@code sources} are glob patterns
     * (* and ?) matched against the source, the file name or the document id; empty means all.
     */
    public List<SearchHit> search(String query, float[] vector, SearchMode mode, Fusion fusion, int k, List<String> sources) {
        int candidates = mode == SearchMode.HYBRID ? Math.max(100, 2 * k) : k;
        return withSearcher(s -> {
            Query filter = sourceFilter(sources);
            List<Fusion.Ranked> bm25 = mode == SearchMode.VECTOR ? List.of() : keywordSearch(s, query, filter, candidates);
            List<Fusion.Ranked> vec = mode == SearchMode.BM25 ? List.of() : vectorSearch(s, vector, filter, candidates);
            List<Fusion.Fused> fused = switch (mode) {
                case BM25 -> ranksOnly(bm25, true);
                case VECTOR -> ranksOnly(vec, false);
                case HYBRID -> fusion.fuse(bm25, vec, k);
            };
            StoredFields stored = s.storedFields();
            List<SearchHit> hits = new ArrayList<>();
            for (Fusion.Fused f : fused.subList(0, Math.min(k, fused.size()))) {
                hits.add(new SearchHit(readChunk(stored.document(f.doc())), f.score(), f.bm25Rank(), f.vectorRank()));
            }
            return hits;
        }, List.of());
    }

    private static List<Fusion.Fused> ranksOnly(List<Fusion.Ranked> list, boolean bm25) {
        List<Fusion.Fused> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Fusion.Ranked r = list.get(i);
            out.add(new Fusion.Fused(r.doc(), r.score(), bm25 ? i + 1 : 0, bm25 ? 0 : i + 1));
        }
        return out;
    }

    private List<Fusion.Ranked> keywordSearch(IndexSearcher s, String query, Query filter, int n) throws IOException {
        List<String> terms = analyze(query);
        if (terms.isEmpty()) return List.of();
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        int clauses = 0;
        for (String t : terms) {
            if (clauses++ >= IndexSearcher.getMaxClauseCount() - 2) break;
            text.add(new TermQuery(new Term(TEXT, t)), Occur.SHOULD);
        }
        // only chunks have text: no filter on the kind, which cost a third of the keyword search time at 100k chunks
        Query q = text.build();
        if (filter != null) q = new BooleanQuery.Builder().add(q, Occur.MUST).add(filter, Occur.FILTER).build();
        return ranked(s.search(q, n).scoreDocs);
    }

    private List<Fusion.Ranked> vectorSearch(IndexSearcher s, float[] vector, Query filter, int n) throws IOException {
        if (vector == null) throw new IllegalArgumentException("vector search needs a query vector");
        if (vector.length != dimension) {
            throw new KnowledgeException("query vector has " + vector.length + " dimensions; this knowledge base has " + dimension);
        }
        return ranked(s.search(new KnnFloatVectorQuery(VECTOR, vector, n, filter), n).scoreDocs);
    }

    private static List<Fusion.Ranked> ranked(ScoreDoc[] docs) {
        return Arrays.stream(docs).map(d -> new Fusion.Ranked(d.doc, d.score)).toList();
    }

    private static Query sourceFilter(List<String> sources) {
        if (sources == null || sources.isEmpty()) return null;
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String pattern : sources) {
            b.add(new WildcardQuery(new Term(SOURCE, pattern)), Occur.SHOULD);
            b.add(new WildcardQuery(new Term(FILE, pattern)), Occur.SHOULD);
            b.add(new TermQuery(new Term(DOC_ID, pattern)), Occur.SHOULD);
        }
        return b.build();
    }

    /** The BM25 terms of a text, as the index sees them. */
    public List<String> analyze(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) terms.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    public IndexStats stats() {
        long bytes = 0;
        try {
            for (String f : directory.listAll()) {
                try {
                    bytes += directory.fileLength(f);
                } catch (IOException gone) {
                    // a merge removed it meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long size = bytes;
        return withSearcher(s -> new IndexStats(
                s.count(new TermQuery(new Term(KIND, KIND_DOC))),
                s.count(new TermQuery(new Term(KIND, KIND_CHUNK))),
                size, s.getIndexReader().leaves().size()), new IndexStats(0, 0, size, 0));
    }

    private Document recordDocument(DocumentRecord r) {
        Document d = new Document();
        d.add(new StringField(KIND, KIND_DOC, Field.Store.NO));
        d.add(new StringField(DOC_ID, r.docId(), Field.Store.YES));
        d.add(new StringField(SOURCE, r.source(), Field.Store.YES));
        d.add(new StringField(HASH, r.contentHash(), Field.Store.YES));
        d.add(new StoredField(UNIT, r.pageUnit()));
        d.add(new StoredField(PAGES, r.pages()));
        d.add(new StoredField(CHUNKS, r.chunks()));
        d.add(new StoredField(BYTES, r.bytes()));
        d.add(new StoredField(ADDED, r.addedAt()));
        return d;
    }

    private Document chunkDocument(StoredChunk c, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions; the index has " + dimension);
        }
        Document d = new Document();
        d.add(new StringField(KIND, KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(DOC_ID, c.docId(), Field.Store.YES));
        d.add(new StringField(SOURCE, c.source(), Field.Store.YES));
        d.add(new StringField(FILE, c.fileName(), Field.Store.NO));
        d.add(new StringField(HASH, c.contentHash(), Field.Store.YES));
        String headings = String.join(" > ", c.headings());
        d.add(new TextField(TEXT, headings.isEmpty() ? c.text() : headings + "\n" + c.text(), Field.Store.NO));
        d.add(new StoredField(BODY, c.text()));
        d.add(new StoredField(HEADINGS, String.join(HEADING_SEPARATOR, c.headings())));
        d.add(new StoredField(ORDINAL, c.ordinal()));
        d.add(new StoredField(PAGE, c.page()));
        d.add(new StoredField(LAST_PAGE, c.lastPage()));
        d.add(new StoredField(UNIT, c.pageUnit()));
        d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    private static DocumentRecord readRecord(Document d) {
        return new DocumentRecord(d.get(DOC_ID), d.get(SOURCE), d.get(HASH), d.get(UNIT),
                d.getField(PAGES).numericValue().intValue(), d.getField(CHUNKS).numericValue().intValue(),
                d.getField(BYTES).numericValue().longValue(), d.getField(ADDED).numericValue().longValue());
    }

    private static StoredChunk readChunk(Document d) {
        String h = d.get(HEADINGS);
        List<String> headings = h == null || h.isEmpty() ? List.of() : List.of(h.split(HEADING_SEPARATOR, -1));
        return new StoredChunk(d.get(DOC_ID), d.get(SOURCE), d.get(HASH), d.getField(ORDINAL).numericValue().intValue(),
                d.get(BODY), headings, d.getField(PAGE).numericValue().intValue(),
                d.getField(LAST_PAGE).numericValue().intValue(), d.get(UNIT));
    }

    private IndexWriter writer() throws IOException {
        if (writer == null) {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setSimilarity(similarity)
                    .setCodec(new Lucene104Codec() {
                        private final KnnVectorsFormat int8 = new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, 16, 100);

                        @Override
                        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                            return int8;
                        }
                    });
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new KnowledgeException("the knowledge base at " + path + " is being written by another process; stop it or wait for it", e);
            }
            SearcherManager old = searchers;
            searchers = new SearcherManager(writer, factory());
            if (old != null) old.close();
            hashes.clear();
            for (DocumentRecord r : documents()) hashes.put(r.docId(), r.contentHash());
        }
        return writer;
    }

    private org.apache.lucene.search.SearcherFactory factory() {
        return new org.apache.lucene.search.SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader, org.apache.lucene.index.IndexReader previous) {
                IndexSearcher s = new IndexSearcher(reader);
                s.setSimilarity(similarity);
                return s;
            }
        };
    }

    @FunctionalInterface
    private interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Runs a read on the freshest searcher; {@code empty} when the index has no commit yet. */
    private <T> T withSearcher(SearchFunction<T> f, T empty) {
        try {
            SearcherManager m;
            synchronized (this) {
                if (searchers == null) {
                    if (!DirectoryReader.indexExists(directory)) return empty;
                    searchers = new SearcherManager(directory, factory());
                }
                m = searchers;
            }
            long now = System.nanoTime();
            if (changed || now - lastRefresh > REFRESH_NANOS) {
                changed = false; // before refreshing: a change made meanwhile sets it again
                m.maybeRefreshBlocking();
                lastRefresh = now;
            }
            IndexSearcher s = m.acquire();
            try {
                return f.apply(s);
            } finally {
                m.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits pending changes and releases the index. */
    @Override
    public synchronized void close() {
        try {
            if (searchers != null) searchers.close();
            if (writer != null) writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            searchers = null;
            writer = null;
        }
    }
}
