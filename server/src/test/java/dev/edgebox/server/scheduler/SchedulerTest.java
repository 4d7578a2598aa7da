package dev.edgebox.server.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.generate.MeanPooling;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The continuous-batching scheduler on the real stories260K model, without HTTP: every request
 * gets exactly what the single-sequence generator gives it, however requests share the passes.
 */
class SchedulerTest {
    static final ModelOptions OPTIONS = new ModelOptions(1, 0, KvCache.Type.F32, 64);
    static final String[] PROMPTS = {
        "Once upon a time, there was a little girl named Lily.",
        "Tom had a big red ball. One day,",
        "The sun was hot and the dog wanted to",
        "Mom said to Ben: \"Let's go to the park\"",
    };
    static final long NO_DEADLINE = Long.MAX_VALUE;

    record Step(int tokens, int decodeTokens) {}

    Model model;
    Tokenizer tokenizer;
    final List<Step> steps = new CopyOnWriteArrayList<>();
    final SchedulerListener recorder = new SchedulerListener() {
        @Override
        public void step(int tokens, int decodeTokens, long nanos) {
            steps.add(new Step(tokens, decodeTokens));
        }
    };

    @BeforeEach
    void open() {
        model = Model.open(TestServers.model(TestServers.STORIES), OPTIONS);
        tokenizer = Tokenizer.fromMetadata(model.file().metadata());
    }

    @AfterEach
    void close() {
        if (model != null) model.close(); // null when the reference pack is absent and the test was skipped
    }

    Scheduler scheduler(int slots, int queue, int stepTokens) {
        return new Scheduler(model, tokenizer, new SchedulerConfig(slots, queue, stepTokens), recorder, Throwable::printStackTrace);
    }

    static GenerationRequest greedy(int maxTokens, boolean ignoreEos) {
        return new GenerationRequest(SamplingParams.GREEDY, maxTokens, List.of(), ignoreEos);
    }

    /** The single-sequence generator's answer, from a separate model instance. */
    static GenerationResult reference(int[] prompt, GenerationRequest request) {
        try (Model m = Model.open(TestServers.model(TestServers.STORIES), OPTIONS)) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            return new Generator(m, tok).generate(m.newSequence(), prompt, request, t -> true);
        }
    }

    int[] ids(String text) {
        return tokenizer.encode(text, true, true);
    }

    /** Reads a job to its end: the streamed text and the final event. */
    static String drain(GenerationJob job, GenerationJob.Event[] last) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        while (true) {
            GenerationJob.Event e = job.next(Duration.ofSeconds(60));
            if (e == null) throw new AssertionError("no event within a minute");
            if (e instanceof GenerationJob.Text t) {
                text.append(t.text());
            } else {
                last[0] = e;
                return text.toString();
            }
        }
    }

    @Test
    void concurrentRequestsShareDecodeStepsAndEachGetsItsOwnOutput() throws Exception {
        GenerationRequest req = greedy(24, true);
        try (Scheduler s = scheduler(4, 0, 64)) {
            List<GenerationJob> jobs = new ArrayList<>();
            for (String p : PROMPTS) jobs.add(s.submit(ids(p), req, NO_DEADLINE));
            s.start(); // all four are admitted at the first step
            for (int i = 0; i < PROMPTS.length; i++) {
                GenerationJob.Event[] last = new GenerationJob.Event[1];
                String streamed = drain(jobs.get(i), last);
                GenerationResult r = assertInstanceOf(GenerationJob.Done.class, last[0]).result();
                GenerationResult expected = reference(ids(PROMPTS[i]), req);
                assertArrayEquals(expected.tokens(), r.tokens(), "prompt " + i);
                assertEquals(expected.text(), streamed, "prompt " + i);
                assertEquals(expected.text(), r.text());
                assertEquals(FinishReason.LENGTH, r.finishReason());
            }
        }
        int widest = steps.stream().mapToInt(Step::decodeTokens).max().orElse(0);
        assertEquals(4, widest, "the next tokens of all four slots go through one forward pass");
        assertTrue(steps.size() < 4 * 24, "fewer passes than tokens: " + steps.size());
    }

    @Test
    void aLongPromptIsPrefilledInChunksWhileAnotherStreamKeepsDecoding() throws Exception {
        GenerationRequest req = greedy(20, true);
        String longPrompt = String.join(" ", PROMPTS) + " " + String.join(" ", PROMPTS);
        try (Scheduler s = scheduler(2, 0, 8)) {
            GenerationJob shortJob = s.submit(ids(PROMPTS[1]), req, NO_DEADLINE);
            GenerationJob longJob = s.submit(ids(longPrompt), req, NO_DEADLINE);
            assertTrue(ids(longPrompt).length > 40);
            s.start();
            GenerationJob.Event[] a = new GenerationJob.Event[1], b = new GenerationJob.Event[1];
            drain(shortJob, a);
            drain(longJob, b);
            assertArrayEquals(reference(ids(PROMPTS[1]), req).tokens(), ((GenerationJob.Done) a[0]).result().tokens());
            assertArrayEquals(reference(ids(longPrompt), req).tokens(), ((GenerationJob.Done) b[0]).result().tokens());
        }
        assertTrue(steps.stream().allMatch(st -> st.tokens() <= 8), "no pass exceeds the step budget: " + steps);
        long mixed = steps.stream().filter(st -> st.decodeTokens() > 0 && st.tokens() > st.decodeTokens()).count();
        assertTrue(mixed >= 3, "the short stream decodes in the same passes that prefill the long prompt: " + steps);
    }

    @Test
    void aFollowUpTurnReusesTheSlotsCachedPrefix() throws Exception {
        GenerationRequest req = greedy(12, true);
        try (Scheduler s = scheduler(2, 4, 64).start()) {
            int[] first = ids(PROMPTS[0]);
            GenerationResult one = ((GenerationJob.Done) s.submit(first, req, NO_DEADLINE).await()).result();
            int[] followUp = concat(first, one.tokens(), tokenizer.encode(" She smiled.", false, true));
            GenerationResult two = ((GenerationJob.Done) s.submit(followUp, req, NO_DEADLINE).await()).result();
            assertEquals(first.length + one.tokens().length - 1, two.cachedTokens(),
                    "the prompt and the answer (all but the last token, never fed back) are reused");
            assertArrayEquals(reference(followUp, req).tokens(), two.tokens());
        }
    }

    @Test
    void cancellingFreesTheSlotAtTheNextStep() throws Exception {
        try (Scheduler s = scheduler(1, 0, 64).start()) {
            GenerationJob job = s.submit(ids(PROMPTS[0]), greedy(100, true), NO_DEADLINE);
            GenerationJob.Event first;
            do {
                first = job.next(Duration.ofSeconds(60));
            } while (!(first instanceof GenerationJob.Text));
            job.cancel();
            GenerationJob.Done done = assertInstanceOf(GenerationJob.Done.class, job.await());
            assertEquals(FinishReason.CANCELLED, done.result().finishReason());
            assertTrue(done.result().tokens().length < 100);
            assertEquals(0, s.busySlots());
            // The slot serves the next request.
            GenerationResult next = ((GenerationJob.Done) s.submit(ids(PROMPTS[2]), greedy(8, true), NO_DEADLINE).await()).result();
            assertArrayEquals(reference(ids(PROMPTS[2]), greedy(8, true)).tokens(), next.tokens());
        }
    }

    @Test
    void theWaitingQueueIsBounded() {
        Scheduler s = scheduler(1, 1, 64); // not started: nothing leaves the queue
        GenerationJob a = s.submit(ids(PROMPTS[0]), greedy(4, false), NO_DEADLINE); // takes the free slot
        GenerationJob b = s.submit(ids(PROMPTS[1]), greedy(4, false), NO_DEADLINE); // waits
        assertThrows(QueueFullException.class, () -> s.submit(ids(PROMPTS[2]), greedy(4, false), NO_DEADLINE));
        assertThrows(QueueFullException.class, () -> s.embed(List.of(ids("x")), NO_DEADLINE));
        assertEquals(2, s.queued());
        s.close();
        assertThrows(SchedulerClosedException.class, () -> s.submit(ids(PROMPTS[2]), greedy(4, false), NO_DEADLINE));
        for (GenerationJob j : List.of(a, b)) {
            GenerationJob.Failed f = assertInstanceOf(GenerationJob.Failed.class, assertDoesNotHang(j));
            assertInstanceOf(SchedulerClosedException.class, f.error());
        }
    }

    static GenerationJob.Event assertDoesNotHang(GenerationJob job) {
        try {
            GenerationJob.Event e = job.next(Duration.ofSeconds(30));
            if (e == null) throw new AssertionError("no final event");
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRequestWhoseDeadlinePassesWhileQueuedFails() throws Exception {
        Scheduler s = scheduler(1, 1, 64);
        GenerationJob late = s.submit(ids(PROMPTS[0]), greedy(4, false), System.nanoTime() - 1);
        s.start();
        try {
            GenerationJob.Failed f = assertInstanceOf(GenerationJob.Failed.class, late.await());
            assertInstanceOf(DeadlineExceededException.class, f.error());
        } finally {
            s.close();
        }
    }

    @Test
    void embeddingsRunBetweenStepsAndEqualMeanPooling() throws Exception {
        List<int[]> inputs = List.of(tokenizer.encode("The cat sat.", true, false), tokenizer.encode(PROMPTS[3], true, false));
        List<float[]> expected = new ArrayList<>();
        try (Model m = Model.open(TestServers.model(TestServers.STORIES), OPTIONS)) {
            for (int[] in : inputs) expected.add(MeanPooling.embed(m, m.newSequence(), in));
        }
        try (Scheduler s = scheduler(2, 2, 4).start()) {
            GenerationJob running = s.submit(ids(PROMPTS[0]), greedy(30, true), NO_DEADLINE);
            List<float[]> got = s.embed(inputs, NO_DEADLINE).result().get();
            assertEquals(2, got.size());
            for (int i = 0; i < 2; i++) assertArrayEquals(expected.get(i), got.get(i), 1e-5f);
            assertArrayEquals(reference(ids(PROMPTS[0]), greedy(30, true)).tokens(), ((GenerationJob.Done) running.await()).result().tokens());
        }
    }

    @Test
    void shutdownLetsRequestsInFlightFinishThenRefusesNewOnes() throws Exception {
        Scheduler s = scheduler(2, 2, 64).start();
        GenerationJob job = s.submit(ids(PROMPTS[1]), greedy(16, true), NO_DEADLINE);
        s.shutdown(Duration.ofSeconds(60));
        GenerationResult r = ((GenerationJob.Done) job.await()).result();
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(16, r.tokens().length);
        assertThrows(SchedulerClosedException.class, () -> s.submit(ids(PROMPTS[0]), greedy(4, false), NO_DEADLINE));
    }

    static int[] concat(int[]... parts) {
        int[] out = new int[0];
        for (int[] p : parts) {
            int n = out.length;
            out = Arrays.copyOf(out, n + p.length);
            System.arraycopy(p, 0, out, n, p.length);
        }
        return out;
    }
}
