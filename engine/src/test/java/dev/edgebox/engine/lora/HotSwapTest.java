package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters are added, replaced, rolled back and removed from another thread while requests decode
 * in one continuously batched loop (as the server's scheduler runs them): no request fails, and each
 * produces exactly what it produces alone on the versions it started with.
 */
class HotSwapTest {
    @TempDir
    Path tmp;

    static final int REQUESTS = 8, STEPS = 10, PROMPT = 4;

    /** One request of the simulated scheduler. */
    static final class Request {
        final int[] prompt;
        final List<AdapterRegistry.Request> wanted;
        final int startStep;
        AdapterRegistry.Lease lease;
        List<String> versions;
        KvCache seq;
        int produced;
        final int[] tokens = new int[STEPS];

        Request(int id, List<AdapterRegistry.Request> wanted) {
            this.prompt = LoraFixtures.tokens(PROMPT, 500 + id);
            this.wanted = wanted;
            this.startStep = id * 2;
        }
    }

    @Test
    void requestsFinishOnTheVersionsTheyStartedWith() throws Exception {
        Path base = LoraFixtures.base(tmp, QWEN2, "q8_0");
        Map<String, Path> sources = new HashMap<>(); // "name@version" -> the files that version was made from
        AdapterStore store = new AdapterStore(tmp.resolve("store"));

        try (Model m = LoraFixtures.open(base, 64)) {
            AdapterRegistry registry = new AdapterRegistry(store, m.config());
            registry.add("a", source(sources, "a@1", 1));
            registry.add("b", source(sources, "b@1", 2));

            List<Request> requests = new ArrayList<>();
            String[][] choice = {{"a"}, {"b"}, {"a", "b"}, {}, {"a"}, {"b"}, {"a", "b"}, {"a"}};
            for (int i = 0; i < REQUESTS; i++) {
                List<AdapterRegistry.Request> w = new ArrayList<>();
                for (String n : choice[i]) w.add(new AdapterRegistry.Request(n, n.equals("a") ? 1f : 0.7f));
                requests.add(new Request(i, w));
            }

            // The management thread: operation k starts once decoding reaches its step and runs while decoding goes on;
            // the scheduler waits for it two steps later at the latest, so which requests see it is bounded, not timed.
            Path a2 = source(sources, "a@2", 3), b2 = source(sources, "b@2", 4), a3 = source(sources, "a@3", 5);
            int[] opSteps = {1, 4, 7, 9, 11, 13};
            List<Runnable> ops = List.of(
                    () -> registry.add("a", a2),      // replace a: a@2
                    () -> registry.add("b", b2),      // replace b: b@2
                    () -> registry.rollback("a"),     // back to a@1
                    () -> registry.add("a", a3),      // a@3
                    () -> registry.rollback("b"),     // b@1
                    () -> registry.remove("b"));      // gone while requests on it still run
            int[] step = {0};
            int[] opsDone = {0};
            Object clock = new Object();
            AtomicReference<Throwable> managerFailure = new AtomicReference<>();
            Thread manager = Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < ops.size(); k++) {
                        synchronized (clock) {
                            while (step[0] < opSteps[k]) clock.wait();
                        }
                        ops.get(k).run();
                        synchronized (clock) {
                            opsDone[0]++;
                            clock.notifyAll();
                        }
                    }
                } catch (Throwable t) {
                    managerFailure.set(t);
                    synchronized (clock) {
                        opsDone[0] = ops.size();
                        clock.notifyAll();
                    }
                }
            });

            // The scheduler: requests join at their start step (prefill + decode in one batch) and leave when done.
            int vocab = m.config().vocabSize();
            Batch batch = new Batch(m.batchSize());
            List<Request> running = new ArrayList<>();
            int finished = 0;
            for (int s = 0; finished < REQUESTS; s++) {
                synchronized (clock) {
                    step[0] = s;
                    clock.notifyAll();
                    int due = 0;
                    for (int t : opSteps) if (t + 2 <= s) due++;
                    while (opsDone[0] < due) clock.wait();
                }
                batch.clear();
                List<Request> rows = new ArrayList<>();
                for (Request r : requests) {
                    if (r.startStep == s) {
                        r.lease = registry.acquire(r.wanted);
                        r.versions = r.lease.versions();
                        r.seq = m.newSequence();
                        for (int p = 0; p < PROMPT; p++) batch.add(r.prompt[p], p, r.seq, p == PROMPT - 1, r.lease.stack());
                        rows.add(r);
                        running.add(r);
                    } else if (running.contains(r)) {
                        batch.add(r.tokens[r.produced - 1], PROMPT + r.produced - 1, r.seq, true, r.lease.stack());
                        rows.add(r);
                    }
                }
                if (batch.size() == 0) continue;
                float[] logits = m.forward(batch);
                for (int k = 0; k < rows.size(); k++) {
                    Request r = rows.get(k);
                    r.tokens[r.produced++] = LoraBatchTest.argmax(java.util.Arrays.copyOfRange(logits, k * vocab, (k + 1) * vocab));
                    if (r.produced == STEPS) {
                        r.lease.close();
                        running.remove(r);
                        finished++;
                    }
                }
            }
            manager.join();
            if (managerFailure.get() != null) throw new AssertionError("management failed", managerFailure.get());

            // Versions really changed under the running requests.
            Set<String> seen = new HashSet<>();
            requests.forEach(r -> seen.addAll(r.versions));
            assertTrue(seen.containsAll(List.of("a@1", "a@2", "a@3", "b@1", "b@2")), "requests saw versions " + seen);
            assertTrue(!registry.has("b"));
            assertEquals(registry.info("a").bytes(), registry.residentBytes(), "old versions left memory with their last request");

            // Each request alone, on the versions it recorded, built from the files those versions came from.
            for (Request r : requests) {
                AdapterStack stack = AdapterStack.NONE;
                for (int i = 0; i < r.versions.size(); i++) {
                    stack = stack.with(LoraFiles.load(sources.get(r.versions.get(i)), r.versions.get(i), m.config()), r.wanted.get(i).scale());
                }
                int[] alone = greedy(m, r.prompt, stack);
                assertArrayEquals(alone, r.tokens, "request on " + r.versions + " differs from running alone");
            }
        }
    }

    private Path source(Map<String, Path> sources, String label, long seed) throws IOException {
        Path dir = tmp.resolve("src-" + label.replace('@', '-'));
        var pairs = LoraFixtures.randomPairs(QWEN2, 4, seed, LoraTarget.Q, LoraTarget.V, LoraTarget.UP);
        LoraFixtures.writePeft(dir, pairs, LoraFixtures.peftConfig(4, 8, "q_proj", "v_proj", "up_proj"), Safetensors.Dtype.F32);
        sources.put(label, dir);
        return dir;
    }

    static int[] greedy(Model m, int[] prompt, AdapterStack stack) {
        int vocab = m.config().vocabSize();
        KvCache seq = m.newSequence();
        Batch b = new Batch(m.batchSize());
        for (int p = 0; p < prompt.length; p++) b.add(prompt[p], p, seq, p == prompt.length - 1, stack);
        int[] out = new int[STEPS];
        float[] logits = m.forward(b);
        for (int i = 0; i < STEPS; i++) {
            out[i] = LoraBatchTest.argmax(java.util.Arrays.copyOf(logits, vocab));
            if (i + 1 < STEPS) logits = m.forward(b.clear().add(out[i], prompt.length + i, seq, true, stack));
        }
        return out;
    }
}
