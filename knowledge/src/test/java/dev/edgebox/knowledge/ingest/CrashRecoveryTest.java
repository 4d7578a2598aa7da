package dev.edgebox.knowledge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import dev.edgebox.knowledge.index.DocumentRecord;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM ingests while we kill it with SIGKILL at random moments; after each kill the index
 * must pass Lucene's CheckIndex and hold every acknowledged document, with the content acknowledged
 * (or a newer version whose acknowledgement the kill cut off), and all of its chunks.
 */
class CrashRecoveryTest {
    private static final int FILES = 200;
    private static final int ROUNDS = 3;

    @TempDir
    Path tmp;

    @Test
    void acknowledgedDocumentsSurviveKill9() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path kbDir = tmp.resolve("kb"), docs = tmp.resolve("docs");
        Files.createDirectories(docs);
        KnowledgeBase.create(kbDir, KbConfig.of(HashingEmbedder.ID, HashingEmbedder.DIMENSION, ChunkingOptions.DEFAULT), id -> new HashingEmbedder())
                .close();

        Map<String, List<String>> versions = new HashMap<>(); // doc id -> content hashes, oldest first
        Map<String, String> acknowledged = new HashMap<>(); // doc id -> last acknowledged hash
        int kills = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int count = writeFiles(docs, round, versions);
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"), CrashIngestChild.class.getName(), kbDir.toString(), docs.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
            CountDownLatch ready = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("READY")) ready.countDown();
                        lines.add(line);
                    }
                } catch (java.io.IOException gone) {
                    // the child was killed mid-line: that line was never a full acknowledgement
                }
            });
            assertTrue(ready.await(60, TimeUnit.SECONDS), "child did not start; seed " + seed);
            // Kill after a random number of acknowledgements plus a random moment: mid-ingest, mid-commit, anywhere.
            int target = random.nextInt(count - 40); // at least one more commit's worth of work is left
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && lines.stream().filter(l -> l.startsWith("ACK ")).count() < target && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(30));
            if (child.isAlive()) {
                child.destroyForcibly(); // SIGKILL
                kills++;
            }
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            for (String line : lines) {
                if (!line.startsWith("ACK ")) continue;
                String[] f = line.split(" ");
                acknowledged.put(f[1], f[2]);
            }
            check(kbDir, versions, acknowledged, "round " + round + ", seed " + seed);
        }
        assertTrue(kills >= 1, "the child always finished before it could be killed; seed " + seed);
        assertTrue(!acknowledged.isEmpty(), "no acknowledgement at all; seed " + seed);
    }

    /** Round r rewrites a third of the files with new content and adds a few new ones. */
    private static int writeFiles(Path docs, int round, Map<String, List<String>> versions) throws Exception {
        int count = FILES / 2 + round * FILES / (2 * ROUNDS);
        for (int i = 0; i < count; i++) {
            Path f = docs.resolve(String.format("doc-%04d.txt", i));
            boolean rewrite = !Files.exists(f) || i % 3 == round % 3;
            if (!rewrite) continue;
            StringBuilder text = new StringBuilder();
            Random r = new Random(i * 31L + round);
            for (int p = 0; p < 1 + r.nextInt(4); p++) {
                for (int s = 0; s < 5 + r.nextInt(20); s++) text.append("Document ").append(i).append(" version ").append(round)
                        .append(" sentence ").append(s).append(" word").append(r.nextInt(1000)).append(". ");
                text.append("\n\n");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Files.write(f, bytes);
            versions.computeIfAbsent(Ingestor.documentId(f), k -> new ArrayList<>()).add(new SourceFile(f.toString(), bytes).contentHash());
        }
        return count;
    }

    private static void check(Path kbDir, Map<String, List<String>> versions, Map<String, String> acknowledged, String context)
            throws Exception {
        try (FSDirectory dir = FSDirectory.open(kbDir.resolve("index")); CheckIndex checker = new CheckIndex(dir)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            checker.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
            CheckIndex.Status status = checker.checkIndex();
            assertTrue(status.clean, "CheckIndex failed after " + context + ":\n" + log);
        }
        try (KnowledgeBase kb = KnowledgeBase.open(kbDir, id -> new HashingEmbedder())) {
            Map<String, DocumentRecord> stored = new HashMap<>();
            for (DocumentRecord r : kb.documents()) stored.put(r.docId(), r);
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                DocumentRecord r = stored.get(ack.getKey());
                assertTrue(r != null, "acknowledged document " + ack.getKey() + " is missing after " + context);
                List<String> history = versions.get(ack.getKey());
                Set<String> allowed = new HashSet<>(history.subList(history.indexOf(ack.getValue()), history.size()));
                assertTrue(allowed.contains(r.contentHash()), "document " + ack.getKey() + " went back to an older version after " + context);
            }
            for (DocumentRecord r : stored.values()) {
                assertEquals(r.chunks(), kb.chunks(r.docId()).size(), "chunks of " + r.docId() + " after " + context);
                assertTrue(versions.get(r.docId()).contains(r.contentHash()), "unknown content for " + r.docId());
            }
        }
    }
}
