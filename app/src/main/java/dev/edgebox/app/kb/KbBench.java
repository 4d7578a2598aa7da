package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KbQuery;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.Chunk;
import dev.edgebox.knowledge.chunk.Chunker;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.edgebox.knowledge.document.Parsers;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.embed.BgeEmbedder;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.embed.Embedders;
import dev.edgebox.knowledge.eval.BeirDataset;
import dev.edgebox.knowledge.eval.Evaluation;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.IndexStats;
import dev.edgebox.knowledge.index.SearchMode;
import dev.edgebox.knowledge.ingest.Ingestor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = {
        "Measure ingestion, embedding and search speed: pages/s on real documents, chunks/s per embedding model,",
        "and query latency per mode on an index of N chunks (real passages embedded once, then varied copies; see docs/knowledge.md)."})
final class KbBench extends KbSubcommand {
    private static final int WARM_UP = 50, EMBED_SAMPLE = 64, EMBED_BATCH = 16, COMMIT_EVERY_DOCUMENTS = 32;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "100000", description = "Chunks in the search index (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "200", description = "Timed queries per mode (default: ${DEFAULT-VALUE}), after 50 untimed.")
    int queries;

    @Option(names = "-k", paramLabel = "K", defaultValue = "5", description = "Chunks returned per query (default: ${DEFAULT-VALUE}, as kb query).")
    int k;

    @Option(names = "--kb-dir", paramLabel = "DIR", description = "Keep the index in DIR and reuse it next time; default: a temporary directory.")
    Path kbDir;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "BEIR corpus.jsonl of real passages to build the index from; its queries.jsonl beside it gives the queries (repeatable; default: SciFact and MS MARCO from ../shared/data, else generated text).")
    List<Path> corpora = new ArrayList<>();

    @Option(names = "--seed-documents", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N documents of each corpus as seeds (0 = all).")
    int seedDocuments;

    @Option(names = "--noise", paramLabel = "S", defaultValue = "0.02", description = "Per-dimension noise of a copied vector (default: ${DEFAULT-VALUE}).")
    float noise;

    @Option(names = "--embedder", paramLabel = "ID", defaultValue = "bge-small-en-v1.5-q", description = "Embedder of the search index (default: ${DEFAULT-VALUE}).")
    String embedderId;

    @Option(names = "--docs", paramLabel = "DIR", description = "Documents for the ingestion benchmark (default: ../shared/data/docs when present).")
    Path docs;

    @Option(names = "--skip", paramLabel = "PART", split = ",",
            description = "Parts to leave out: ingest, embed, query (e.g. --skip ingest,embed to measure a serving process's memory).")
    Set<String> skip = new TreeSet<>();

    @Option(names = "--embedding-cache", paramLabel = "DIR", description = "Cache of the seed vectors (default: as kb eval, which fills it for the same corpus).")
    Path cacheDir;

    @Option(names = "--json", description = "One JSON object with every number.")
    boolean json;

    private final Map<String, Object> report = new LinkedHashMap<>();

    @Override
    int run(KnowledgeBases bases) throws Exception {
        for (String s : skip) if (!Set.of("ingest", "embed", "query").contains(s)) throw new KnowledgeException("unknown part '" + s + "' for --skip; expected ingest, embed or query");
        if (k < 1 || queries < 1 || chunks < 1) throw new KnowledgeException("--chunks, --queries and -k must be at least 1");
        Path data = sharedData();
        Seeds seeds = seeds(data);
        try (EmbedderCache cache = new EmbedderCache(cacheDir != null ? cacheDir : EmbedderCache.defaultDir(), bases)) {
            if (!skip.contains("ingest")) ingest(bases, docs != null ? docs : data.resolve("docs"));
            if (!skip.contains("embed")) embedding(bases, seeds);
            if (!skip.contains("query")) search(bases, cache, seeds);
        }
        memory();
        if (json) out().println(KbQueryCommand.JSON.writeValueAsString(report));
        return 0;
    }

    /** ../shared/data beside the edgebox checkout (or the working directory). */
    private static Path sharedData() {
        return Path.of(System.getProperty("edgebox.home", ".")).toAbsolutePath().resolve("../shared/data").normalize();
    }

    /** Seed documents and query texts: from the corpora given, the shared ones, or generated. */
    private record Seeds(List<BeirDataset.Doc> docs, List<String> queries, String origin) {}

    private Seeds seeds(Path data) {
        List<Path> files = new ArrayList<>(corpora);
        if (files.isEmpty()) {
            for (String name : List.of("scifact", "msmarco_dl19_subset")) {
                Path c = data.resolve(name).resolve("corpus.jsonl");
                if (Files.isRegularFile(c)) files.add(c);
            }
        }
        if (files.isEmpty()) {
            GeneratedText g = new GeneratedText(42);
            List<BeirDataset.Doc> docs = g.documents(seedDocuments > 0 ? seedDocuments : 3000);
            return new Seeds(docs, g.queries(docs, queries + WARM_UP), "generated text");
        }
        List<BeirDataset.Doc> docs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            List<BeirDataset.Doc> c = BeirDataset.readCorpus(f);
            docs.addAll(seedDocuments > 0 ? c.subList(0, Math.min(seedDocuments, c.size())) : c);
            Path q = f.resolveSibling("queries.jsonl");
            if (Files.isRegularFile(q)) texts.addAll(BeirDataset.readQueries(q).values());
        }
        if (texts.isEmpty()) texts.addAll(new GeneratedText(42).queries(docs, queries + WARM_UP));
        Collections.shuffle(texts, new Random(42));
        return new Seeds(docs, texts, String.join(", ", files.stream().map(Path::toString).toList()));
    }

    // ---- ingestion of real documents, with the real model (no cache) ----

    private void ingest(KnowledgeBases bases, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            err().println("ingest: skipped, no documents at " + dir + " (--docs DIR)");
            return;
        }
        List<Path> files = Ingestor.expand(List.of(dir));
        Path tmp = Files.createTempDirectory("edgebox-bench-ingest");
        try (KnowledgeBase kb = KnowledgeBase.create(tmp.resolve("kb"), KbConfig.defaults(), bases::embedder)) {
            err().printf("ingest: %d files from %s (parsing, chunking, embedding with the real model, indexing)...%n", files.size(), dir);
            err().flush();
            long start = System.nanoTime();
            Ingestor.Report r = new Ingestor(kb).ingest(files, new Ingestor.Listener() { });
            double s = (System.nanoTime() - start) / 1e9;
            // parsing alone, after the ingestion warmed the parsers up
            long bytes = 0, parseStart = System.nanoTime();
            int parsedPages = 0;
            for (Path f : files) {
                try {
                    SourceFile source = SourceFile.read(f);
                    bytes += source.content().length;
                    parsedPages += Parsers.parse(source).pages();
                } catch (RuntimeException unreadable) {
                    // counted as failed by the ingestion
                }
            }
            double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("files", files.size());
            o.put("failed", r.failed());
            o.put("megabytes", round(bytes / 1e6));
            o.put("pages", r.pages());
            o.put("chunks", r.chunks());
            o.put("embedder", kb.config().embedder());
            o.put("seconds", round(s));
            o.put("pages_per_s", round(r.pages() / s));
            o.put("chunks_per_s", round(r.chunks() / s));
            o.put("parse_seconds", round(parseSeconds));
            o.put("parse_pages_per_s", round(parsedPages / parseSeconds));
            report.put("ingest", o);
            if (!json) {
                out().printf("ingest     %d files (%.1f MB, %d pages or slides, %d failed) -> %d chunks in %.1f s with %s:%n", files.size(),
                        bytes / 1e6, r.pages(), r.failed(), r.chunks(), s, kb.config().embedder());
                out().printf("           %.2f pages/s, %.2f chunks/s end to end; parsing alone %.0f pages/s (%.2f s)%n", r.pages() / s,
                        r.chunks() / s, parsedPages / parseSeconds, parseSeconds);
                out().flush();
            }
        } finally {
            deleteTree(tmp);
        }
    }

    // ---- embedding speed per model ----

    private void embedding(KnowledgeBases bases, Seeds seeds) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : List.of(BgeEmbedder.ZH.id(), BgeEmbedder.EN.id())) {
            Embedder e = bases.embedder(id);
            TokenCounter counter = e.tokenCounter();
            // chunks as a knowledge base with this model cuts them (384 tokens, 64 overlap)
            Chunker chunker = new Chunker(counter, ChunkingOptions.DEFAULT);
            List<String> sample = new ArrayList<>();
            for (BeirDataset.Doc d : seeds.docs()) {
                if (sample.size() >= EMBED_SAMPLE) break;
                for (Chunk c : chunker.chunk(Evaluation.document(d))) if (sample.size() < EMBED_SAMPLE) sample.add(c.indexedText());
            }
            long tokens = sample.stream().mapToLong(counter::count).sum();
            e.embedPassages(sample.subList(0, Math.min(4, sample.size()))); // warm up
            long start = System.nanoTime();
            for (int from = 0; from < sample.size(); from += EMBED_BATCH) e.embedPassages(sample.subList(from, Math.min(sample.size(), from + EMBED_BATCH)));
            double s = (System.nanoTime() - start) / 1e9;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("embedder", id);
            o.put("chunks", sample.size());
            o.put("tokens", tokens);
            o.put("seconds", round(s));
            o.put("chunks_per_s", round(sample.size() / s));
            o.put("tokens_per_s", Math.round(tokens / s));
            rows.add(o);
            if (!json) {
                out().printf("embed      %-20s %d chunks (%d tokens, %.0f a chunk): %.2f chunks/s, %.0f tokens/s%n", id, sample.size(), tokens,
                        (double) tokens / sample.size(), sample.size() / s, tokens / s);
                out().flush();
            }
        }
        report.put("embedding", rows);
    }

    // ---- the big index and query latency ----

    private void search(KnowledgeBases bases, EmbedderCache cache, Seeds seeds) throws IOException {
        Path dir = kbDir != null ? kbDir : Files.createTempDirectory("edgebox-bench-index");
        try {
            boolean reuse = Files.exists(dir.resolve(KbConfig.FILE));
            try (KnowledgeBase kb = reuse ? KnowledgeBase.open(dir, cache::embedder)
                    : KnowledgeBase.create(dir, KbConfig.of(embedderId, Embedders.dimension(embedderId), ChunkingOptions.DEFAULT), cache::embedder)) {
                if (!reuse) build(kb, seeds);
                IndexStats stats = kb.stats();
                @SuppressWarnings("unchecked")
                Map<String, Object> index = (Map<String, Object>) report.computeIfAbsent("index", x -> new LinkedHashMap<String, Object>());
                index.put("reused", reuse);
                index.put("embedder", kb.config().embedder());
                index.put("chunks", stats.chunks());
                index.put("documents", stats.documents());
                index.put("megabytes_on_disk", round(stats.bytesOnDisk() / 1e6));
                index.put("segments", stats.segments());
                if (!json) {
                    out().printf("index      %d chunks in %d documents, %s; %.1f MB on disk in %d segments%s%n", stats.chunks(), stats.documents(),
                            kb.config().embedder(), stats.bytesOnDisk() / 1e6, stats.segments(), reuse ? " (reused)" : "");
                    out().flush();
                }
                latency(kb, bases.embedder(kb.config().embedder()), seeds.queries());
            }
        } finally {
            if (kbDir == null) deleteTree(dir);
        }
    }

    private void build(KnowledgeBase kb, Seeds seeds) {
        Embedder embedder = kb.embedder(); // cached: the seeds' vectors of an earlier run (or kb eval) cost nothing
        err().printf("index: chunking and embedding %d seed documents (%s; cached vectors are reused)...%n", seeds.docs().size(), seeds.origin());
        err().flush();
        long embedStart = System.nanoTime();
        BenchCorpus corpus = BenchCorpus.of(seeds.docs(), embedder, kb.config().chunking(), noise, new IntConsumer() {
            long last = System.nanoTime();

            @Override
            public void accept(int done) {
                if (System.nanoTime() - last < 10_000_000_000L) return;
                last = System.nanoTime();
                err().printf("index: %d seed chunks embedded (%.0f s)%n", done, (last - embedStart) / 1e9);
                err().flush();
            }
        });
        double seedSeconds = (System.nanoTime() - embedStart) / 1e9;
        int documents = BenchCorpus.documents(chunks);
        err().printf("index: writing %d chunks (%d seed chunks and varied copies)...%n", chunks, corpus.seeds().size());
        err().flush();
        long start = System.nanoTime();
        for (int d = 0; d < documents; d++) {
            BenchCorpus.Document doc = corpus.document(d, chunks);
            kb.put(doc.record(), doc.chunks(), doc.vectors());
            if ((d + 1) % COMMIT_EVERY_DOCUMENTS == 0) kb.commit(); // as kb add commits, so segments are as many as a user's
            if ((d + 1) % 2000 == 0) {
                err().printf("index: %d/%d chunks (%.0f s)%n", Math.min(chunks, (d + 1) * BenchCorpus.CHUNKS_PER_DOCUMENT), chunks,
                        (System.nanoTime() - start) / 1e9);
                err().flush();
            }
        }
        kb.commit();
        double s = (System.nanoTime() - start) / 1e9;
        long mergeStart = System.nanoTime();
        int segments = kb.stats().segments();
        if (kb.worthOptimizing(chunks)) { // as kb add does after adding this much
            err().printf("index: merging %d segments into one...%n", segments);
            err().flush();
            kb.optimize();
        }
        double mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seed_documents", seeds.docs().size());
        o.put("seed_chunks", corpus.seeds().size());
        o.put("seed_source", seeds.origin());
        o.put("seed_seconds", round(seedSeconds));
        o.put("copy_cosine", round(corpus.variantCosine(1000)));
        o.put("build_seconds", round(s));
        o.put("indexed_chunks_per_s", round(chunks / s));
        o.put("segments_before_merge", segments);
        o.put("merge_seconds", round(mergeSeconds));
        report.put("index", o);
        if (!json) {
            out().printf("build      %d seed chunks from %d documents (%s), copies at cosine %.3f to their seed%n", corpus.seeds().size(),
                    seeds.docs().size(), seeds.origin(), corpus.variantCosine(1000));
            out().printf("           indexed %d chunks in %.1f s (%.0f chunks/s, committing every %d documents as kb add does), then merged %d segments in %.1f s%n",
                    chunks, s, chunks / s, COMMIT_EVERY_DOCUMENTS, segments, mergeSeconds);
            out().flush();
        }
    }

    /**
     * Times every mode on the same queries, interleaved query by query so that the load of a shared
     * machine falls on all modes alike: first the search alone (the query vector made beforehand),
     * then as a user's query runs, embedded by the model itself and searched. The CPU time of the
     * searching thread is kept too: on a busy machine it shows what the search itself costs.
     */
    private void latency(KnowledgeBase kb, Embedder model, List<String> texts) {
        int n = Math.min(queries, texts.size() - WARM_UP);
        if (n < 1) throw new KnowledgeException("only " + texts.size() + " query texts; at least " + (WARM_UP + 1) + " are needed");
        List<String> warm = texts.subList(0, WARM_UP), timed = texts.subList(WARM_UP, WARM_UP + n);
        Embedder cached = kb.embedder();
        List<float[]> vectors = timed.stream().map(cached::embedQuery).toList();
        SearchMode[] modes = SearchMode.values();
        for (String text : warm) {
            float[] v = model.embedQuery(text);
            for (SearchMode mode : modes) kb.query(query(text, mode), v);
        }
        Map<SearchMode, Latencies> search = new LinkedHashMap<>(), cpu = new LinkedHashMap<>(), total = new LinkedHashMap<>();
        for (SearchMode mode : modes) {
            search.put(mode, new Latencies());
            cpu.put(mode, new Latencies());
            total.put(mode, new Latencies());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Latencies embedOnly = new Latencies();
        for (int i = 0; i < n; i++) {
            for (SearchMode mode : modes) {
                KbQuery q = query(timed.get(i), mode);
                long c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                kb.query(q, vectors.get(i));
                search.get(mode).add(System.nanoTime() - t0);
                cpu.get(mode).add(threads.getCurrentThreadCpuTime() - c0);
            }
        }
        for (int i = 0; i < n; i++) {
            for (SearchMode mode : modes) {
                KbQuery q = query(timed.get(i), mode);
                long t0 = System.nanoTime();
                float[] v = mode == SearchMode.BM25 ? null : model.embedQuery(q.text());
                long t1 = System.nanoTime();
                kb.query(q, v);
                total.get(mode).add(System.nanoTime() - t0);
                if (v != null) embedOnly.add(t1 - t0);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!json) out().printf("query      %d queries per mode after %d untimed, top %d, milliseconds (load average %s):%n", n, WARM_UP, k, loadAverage());
        for (SearchMode mode : modes) {
            Latencies a = search.get(mode), b = total.get(mode), c = cpu.get(mode);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("mode", mode.label());
            o.put("queries", n);
            o.put("k", k);
            o.put("p50_ms", round(a.percentileMs(50)));
            o.put("p99_ms", round(a.percentileMs(99)));
            o.put("mean_ms", round(a.meanMs()));
            o.put("cpu_p50_ms", round(c.percentileMs(50)));
            o.put("cpu_p99_ms", round(c.percentileMs(99)));
            o.put("with_embedding_p50_ms", round(b.percentileMs(50)));
            o.put("with_embedding_p99_ms", round(b.percentileMs(99)));
            rows.add(o);
            if (!json) {
                out().printf("           %-7s search p50 %6.2f  p99 %6.2f  mean %6.2f (CPU p50 %6.2f  p99 %6.2f) | with query embedding p50 %6.2f  p99 %6.2f%n",
                        mode.label(), a.percentileMs(50), a.percentileMs(99), a.meanMs(), c.percentileMs(50), c.percentileMs(99), b.percentileMs(50),
                        b.percentileMs(99));
            }
        }
        report.put("query", rows);
        report.put("query_embedding", Map.of("embedder", model.id(), "p50_ms", round(embedOnly.percentileMs(50)),
                "p99_ms", round(embedOnly.percentileMs(99))));
        report.put("load_average", loadAverage());
        if (!json) {
            out().printf("           query embedding alone (%s) p50 %.2f  p99 %.2f%n", model.id(), embedOnly.percentileMs(50), embedOnly.percentileMs(99));
            out().flush();
        }
    }

    /** The 1-minute load average while measuring ("?" where unknown): how shared the CPU was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private KbQuery query(String text, SearchMode mode) {
        return new KbQuery(text, mode, k, List.of(), Fusion.RRF);
    }

    // ---- memory ----

    private void memory() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rss_mb", round(procStatusKb("VmRSS") / 1024.0));
        o.put("peak_rss_mb", round(procStatusKb("VmHWM") / 1024.0));
        o.put("heap_used_mb", round(heap / 1048576.0));
        o.put("parts", String.join(",", List.of("ingest", "embed", "query").stream().filter(p -> !skip.contains(p)).toList()));
        report.put("memory", o);
        if (!json) {
            out().printf("memory     RSS %.0f MB now, %.0f MB peak; Java heap %.0f MB in use after GC (parts run: %s)%n", procStatusKb("VmRSS") / 1024.0,
                    procStatusKb("VmHWM") / 1024.0, heap / 1048576.0, o.get("parts"));
        }
    }

    /** A field of /proc/self/status in kB; -1 where there is none (not Linux). */
    private static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
