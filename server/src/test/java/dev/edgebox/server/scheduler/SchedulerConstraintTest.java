package dev.edgebox.server.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.testing.TestServers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each request's own logit processors (its grammar) in the scheduler: requests with different
 * constraints and none share the batch and each gets what the single-sequence generator gives it
 * with the same constraint; a processor that fails fails its request only.
 */
class SchedulerConstraintTest {
    static final ModelOptions OPTIONS = new ModelOptions(1, 0, KvCache.Type.F32, 64);
    static final long NO_DEADLINE = Long.MAX_VALUE;

    Model model;
    Tokenizer tokenizer;

    @BeforeEach
    void open() {
        model = Model.open(TestServers.model(TestServers.STORIES), OPTIONS);
        tokenizer = Tokenizer.fromMetadata(model.file().metadata());
    }

    @AfterEach
    void close() {
        if (model != null) model.close(); // null when the reference pack is absent and the test was skipped
    }

    GenerationResult alone(int[] prompt, GenerationRequest request, StructuredOutput format) {
        List<LogitProcessor> processors = format == null ? List.of() : List.of(format.newConstraint(tokenizer));
        try (Model m = Model.open(TestServers.model(TestServers.STORIES), OPTIONS)) {
            return new Generator(m, tokenizer).generate(m.newSequence(), prompt, request, processors, t -> true);
        }
    }

    static GenerationResult done(GenerationJob job) throws InterruptedException {
        GenerationJob.Event e = job.await();
        return assertInstanceOf(GenerationJob.Done.class, e, String.valueOf(e)).result();
    }

    @Test
    void requestsKeepTheirOwnConstraintsInASharedBatch() throws Exception {
        GenerationRequest sampled = new GenerationRequest(new SamplingParams(1f, 0, 1f, 0f, 1f, 0f, 0f, 64, 42), 40, List.of(), false);
        StructuredOutput digits = StructuredOutput.regex("[0-9]{3,8}");
        StructuredOutput json = StructuredOutput.jsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}},\"required\":[\"a\"]}");
        int[] p1 = tokenizer.encode("Once upon a time", true, true), p2 = tokenizer.encode("Tom had a ball", true, true);
        try (Scheduler s = new Scheduler(model, tokenizer, new SchedulerConfig(3, 0, 64), SchedulerListener.NONE, Throwable::printStackTrace)) {
            GenerationJob a = s.submit(p1, sampled, List.of(digits.newConstraint(tokenizer)), NO_DEADLINE);
            GenerationJob b = s.submit(p2, sampled, List.of(json.newConstraint(tokenizer)), NO_DEADLINE);
            GenerationJob c = s.submit(p1, sampled, List.of(), NO_DEADLINE);
            s.start();
            GenerationResult ra = done(a), rb = done(b), rc = done(c);
            assertEquals(alone(p1, sampled, digits).text(), ra.text());
            assertEquals(alone(p2, sampled, json).text(), rb.text());
            assertEquals(alone(p1, sampled, null).text(), rc.text());
            assertTrue(ra.text().matches("[0-9]{3,8}") || ra.finishReason() == FinishReason.LENGTH, ra.text());
            if (ra.finishReason() == FinishReason.STOP) assertEquals(null, digits.check(ra.text()));
            if (rb.finishReason() == FinishReason.STOP) assertEquals(null, json.check(rb.text()));
        }
    }

    @Test
    void aFailingProcessorFailsOnlyItsRequest() throws Exception {
        LogitProcessor broken = new LogitProcessor() {
            @Override
            public void process(float[] logits, TokenHistory history) {
                throw new EngineException("no token of this vocabulary can continue the grammar here");
            }
        };
        GenerationRequest greedy = new GenerationRequest(SamplingParams.GREEDY, 8, List.of(), true);
        int[] prompt = tokenizer.encode("The sun was hot", true, true);
        try (Scheduler s = new Scheduler(model, tokenizer, new SchedulerConfig(2, 0, 64), SchedulerListener.NONE, Throwable::printStackTrace)) {
            GenerationJob bad = s.submit(prompt, greedy, List.of(broken), NO_DEADLINE);
            GenerationJob good = s.submit(prompt, greedy, List.of(), NO_DEADLINE);
            s.start();
            GenerationJob.Failed f = assertInstanceOf(GenerationJob.Failed.class, bad.await());
            assertTrue(f.error().getMessage().contains("cannot continue the grammar") || f.error().getMessage().contains("can continue"), f.error().getMessage());
            assertEquals(8, done(good).tokens().length);
            // The scheduler keeps serving, and the failed request's slot is free again.
            assertEquals(8, done(s.submit(prompt, greedy, NO_DEADLINE)).tokens().length);
            assertEquals(0, s.busySlots());
        }
    }

    @Test
    void aGrammarOfOnlyTheEmptyTextIsDoneAtOnce() throws Exception {
        try (Scheduler s = new Scheduler(model, tokenizer, new SchedulerConfig(1, 0, 64), SchedulerListener.NONE, Throwable::printStackTrace)) {
            GenerationJob job = s.submit(tokenizer.encode("Hi", true, true), new GenerationRequest(SamplingParams.GREEDY, 8, List.of(), false),
                    List.of(StructuredOutput.choices(List.of("")).newConstraint(tokenizer)), NO_DEADLINE);
            GenerationResult r = done(job); // the scheduler was never started: nothing was generated
            assertEquals("", r.text());
            assertEquals(FinishReason.STOP, r.finishReason());
            assertEquals(0, r.tokens().length);
        }
    }
}
