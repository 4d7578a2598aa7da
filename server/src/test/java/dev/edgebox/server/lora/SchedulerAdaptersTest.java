package dev.edgebox.server.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.scheduler.GenerationJob;
import dev.edgebox.server.scheduler.QueueFullException;
import dev.edgebox.server.scheduler.Scheduler;
import dev.edgebox.server.scheduler.SchedulerConfig;
import dev.edgebox.server.scheduler.SchedulerListener;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler with adapters, without HTTP: requests on different adapters share forward passes
 * and each gets what it gets alone; a slot's cached prefix is reused only by a request with the
 * same adapter versions and scales; every way a job ends releases its adapters.
 */
class SchedulerAdaptersTest {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    static final String PROMPT = "Adapters on a tiny model";
    static final int TOKENS = 12;

    @TempDir
    static Path tmp;
    static Path model, a1, b1, c1, a2;

    @BeforeAll
    static void fixtures() throws Exception {
        model = LoraTestModels.model(tmp, LoraTestModels.BASE);
        var config = LoraTestModels.config(model);
        a1 = LoraTestModels.adapter(tmp.resolve("a1"), config, 1);
        b1 = LoraTestModels.adapter(tmp.resolve("b1"), config, 2);
        c1 = LoraTestModels.adapter(tmp.resolve("c1"), config, 3);
        a2 = LoraTestModels.adapter(tmp.resolve("a2"), config, 4);
    }

    static GenerationRequest greedy(int tokens) {
        return new GenerationRequest(SamplingParams.GREEDY, tokens, List.of(), true);
    }

    static GenerationResult done(GenerationJob job) throws InterruptedException {
        GenerationJob.Event e = job.await();
        if (e instanceof GenerationJob.Failed f) throw new AssertionError("the job failed", f.error());
        return ((GenerationJob.Done) e).result();
    }

    static List<AdapterRegistry.Request> use(String name, float scale) {
        return List.of(new AdapterRegistry.Request(name, scale));
    }

    @Test
    void fourRequestsOnDifferentAdaptersInOnePassEachGetTheirSoloTokens(@TempDir Path store) throws Exception {
        try (Model m = Model.open(model, new ModelOptions(1, 512, KvCache.Type.F16, 64))) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            AdapterRegistry registry = new AdapterRegistry(new AdapterStore(store), m.config());
            registry.add("a", a1);
            registry.add("b", b1);
            registry.add("c", c1);
            int[] prompt = tok.encode(PROMPT, true, true);
            List<List<AdapterRegistry.Request>> choices = List.of(List.of(), use("a", 1f), use("b", 1f),
                    List.of(new AdapterRegistry.Request("a", 0.5f), new AdapterRegistry.Request("c", 1f)));
            Scheduler s = new Scheduler(m, tok, new SchedulerConfig(4, 4, 64), SchedulerListener.NONE, Throwable::printStackTrace);
            try (s) {
                // Queued before the scheduler starts: all four are admitted at its first step, so every pass mixes them.
                List<GenerationJob> jobs = choices.stream()
                        .map(c -> s.submit(prompt, greedy(TOKENS), List.of(), c.isEmpty() ? null : registry.acquire(c), NO_DEADLINE)).toList();
                assertEquals(List.of("a@1"), jobs.get(1).adapterVersions());
                s.start();
                String[] got = new String[4];
                for (int i = 0; i < 4; i++) got[i] = done(jobs.get(i)).text();
                String[] alone = {
                    LoraTestModels.solo(model, PROMPT, TOKENS),
                    LoraTestModels.solo(model, PROMPT, TOKENS, a1),
                    LoraTestModels.solo(model, PROMPT, TOKENS, b1),
                    LoraTestModels.solo(model, PROMPT, TOKENS, List.of(new LoraTestModels.Use(a1, 0.5f), new LoraTestModels.Use(c1, 1f))),
                };
                assertEquals(4, new HashSet<>(List.of(alone)).size(), "the adapters must change the output for this test to mean anything");
                for (int i = 0; i < 4; i++) assertEquals(alone[i], got[i], "request " + i + " on " + choices.get(i));
            }
            for (String n : List.of("a", "b", "c")) assertEquals(0, registry.info(n).inFlight(), n + " is still held");
        }
    }

    @Test
    void aCachedPrefixIsReusedOnlyWithTheSameAdapterVersionsAndScales(@TempDir Path store) throws Exception {
        try (Model m = Model.open(model, new ModelOptions(1, 512, KvCache.Type.F16, 64))) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            AdapterRegistry registry = new AdapterRegistry(new AdapterStore(store), m.config());
            registry.add("a", a1);
            int[] prompt = tok.encode(PROMPT, true, true);
            int all = prompt.length - 1; // the last prompt token is always recomputed
            String base = LoraTestModels.solo(model, PROMPT, TOKENS);
            String onA = LoraTestModels.solo(model, PROMPT, TOKENS, a1);
            String onA2 = LoraTestModels.solo(model, PROMPT, TOKENS, a2);
            String halfA = LoraTestModels.solo(model, PROMPT, TOKENS, List.of(new LoraTestModels.Use(a1, 0.5f)));
            assertEquals(4, Set.of(base, onA, onA2, halfA).size());
            // One slot: every request finds the previous one's cache.
            try (Scheduler s = new Scheduler(m, tok, new SchedulerConfig(1, 4, 64), SchedulerListener.NONE, Throwable::printStackTrace).start()) {
                record Step(List<AdapterRegistry.Request> adapters, int cached, String text) {}
                List<Step> steps = List.of(
                        new Step(use("a", 1f), 0, onA),
                        new Step(List.of(), 0, base),        // computed with a: not reused
                        new Step(List.of(), all, base),
                        new Step(use("a", 1f), 0, onA),
                        new Step(use("a", 1f), all, onA),    // same version, same scale
                        new Step(use("a", 0.5f), 0, halfA),  // another scale
                        new Step(use("a", 0.5f), all, halfA));
                for (int i = 0; i < steps.size(); i++) {
                    Step st = steps.get(i);
                    GenerationResult r = done(s.submit(prompt, greedy(TOKENS), List.of(),
                            st.adapters().isEmpty() ? null : registry.acquire(st.adapters()), NO_DEADLINE));
                    assertEquals(st.cached(), r.cachedTokens(), "step " + i + " cached tokens");
                    assertEquals(st.text(), r.text(), "step " + i + " text");
                }
                registry.add("a", a2); // a new version: the cache of v1 is not its cache
                GenerationResult r = done(s.submit(prompt, greedy(TOKENS), List.of(), registry.acquire(use("a", 0.5f)), NO_DEADLINE));
                assertEquals(0, r.cachedTokens());
                r = done(s.submit(prompt, greedy(TOKENS), List.of(), registry.acquire(use("a", 1f)), NO_DEADLINE));
                assertEquals(0, r.cachedTokens());
                assertEquals(onA2, r.text());
            }
        }
    }

    @Test
    void cancelledRefusedAndShutDownJobsReleaseTheirAdapters(@TempDir Path store) throws Exception {
        try (Model m = Model.open(model, new ModelOptions(1, 512, KvCache.Type.F16, 64))) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            AdapterRegistry registry = new AdapterRegistry(new AdapterStore(store), m.config());
            registry.add("a", a1);
            int[] prompt = tok.encode(PROMPT, true, true);
            long oneVersion = registry.residentBytes();
            // Never started: one job takes the free slot, the next finds no room and its lease is closed at once.
            Scheduler s = new Scheduler(m, tok, new SchedulerConfig(1, 0, 64), SchedulerListener.NONE, Throwable::printStackTrace);
            GenerationJob held = s.submit(prompt, greedy(400), List.of(), registry.acquire(use("a", 1f)), NO_DEADLINE);
            assertThrows(QueueFullException.class, () -> s.submit(prompt, greedy(4), List.of(), registry.acquire(use("a", 1f)), NO_DEADLINE));
            assertEquals(1, registry.info("a").inFlight());
            registry.add("a", a2); // v1 stays in memory for the job that holds it
            assertEquals(2, registry.residentCount());
            s.close(); // shutdown tells the queued job it ended
            assertInstanceOf(GenerationJob.Failed.class, held.await());
            assertEquals(0, registry.info("a").inFlight());
            assertEquals(1, registry.residentCount(), "v1 left memory with its last job");
            assertNotEquals(0, oneVersion);

            // Started: a running job cancelled by its reader lets go of its version too.
            try (Scheduler running = new Scheduler(m, tok, new SchedulerConfig(1, 0, 64), SchedulerListener.NONE, Throwable::printStackTrace).start()) {
                GenerationJob job = running.submit(prompt, greedy(400), List.of(), registry.acquire(use("a", 1f)), NO_DEADLINE);
                registry.rollback("a");
                job.cancel();
                done(job);
                assertEquals(0, registry.info("a").inFlight());
                assertEquals(1, registry.residentCount());
            }
        }
    }
}
