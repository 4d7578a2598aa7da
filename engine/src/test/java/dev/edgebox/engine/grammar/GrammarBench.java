package dev.edgebox.engine.grammar;

import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.sampling.TokenConstraint;
import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Cost of constrained decoding, run by hand (not a test: timing never decides one).
 * <pre>
 *   java -cp engine/target/classes:engine/target/test-classes --add-modules jdk.incubator.vector \
 *       dev.edgebox.engine.grammar.GrammarBench ../shared [/tmp/q05.gguf]
 * </pre>
 * Part 1: full-mask cost per token on Qwen2's 151k-token vocabulary for a nested schema, with
 * real documents fed token by token (a fresh constraint per document, as per request) and with a
 * random walk. Part 2 (given a model, e.g. {@code edgebox synth --shape qwen2.5-0.5b --type q4_k_m
 * --vocab ggml-vocab-qwen2.gguf}): decode tokens/s with and without the schema.
 */
public final class GrammarBench {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String SCHEMA = """
            {"type":"object","properties":{
              "title":{"type":"string","maxLength":80},
              "date":{"type":"string","format":"date"},
              "parties":{"type":"array","minItems":1,"maxItems":4,"items":{"type":"object","properties":{
                "name":{"type":"string"},
                "role":{"enum":["buyer","seller","agent"]},
                "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}},
                  "required":["city"]}},
                "required":["name","role"]}},
              "amount":{"type":"number","minimum":0,"maximum":1000000000},
              "currency":{"enum":["USD","EUR","CNY"]},
              "signed":{"type":"boolean"},
              "clauses":{"type":"array","maxItems":10,"items":{"type":"object","properties":{
                "id":{"type":"integer","minimum":1},"text":{"type":"string","maxLength":200}},"required":["id","text"]}}},
             "required":["title","date","parties","amount","currency","signed"]}
            """;

    static final List<String> DOCUMENTS = List.of(
            """
            {"title":"Supply agreement for office furniture","date":"2024-03-15","parties":[{"name":"Acme Office Ltd.","role":"seller",\
            "address":{"city":"Springfield","zip":"62704"}},{"name":"Globex Corporation","role":"buyer"}],"amount":125000.5,\
            "currency":"USD","signed":true,"clauses":[{"id":1,"text":"Delivery within 30 days of the order."},\
            {"id":2,"text":"Payment is due 60 days after delivery; late payments accrue 1% interest per month."}]}""",
            """
            {
              "title": "房屋租赁合同",
              "date": "2023-11-01",
              "parties": [
                {
                  "name": "张三",
                  "role": "seller",
                  "address": {
                    "city": "上海",
                    "zip": "20000"
                  }
                },
                {
                  "name": "李四",
                  "role": "buyer"
                }
              ],
              "amount": 4800,
              "currency": "CNY",
              "signed": false,
              "clauses": [
                {
                  "id": 1,
                  "text": "租期为十二个月，自2023年11月1日起算。"
                }
              ]
            }""");

    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        Tokenizer tok;
        try (GgufFile gguf = GgufFile.open(shared.resolve("reference/tokenizers/ggml-vocab-qwen2.gguf"))) {
            tok = Tokenizer.fromMetadata(gguf.metadata());
        }
        long t0 = System.nanoTime();
        TokenTrie trie = TokenTrie.of(tok);
        System.out.printf("Qwen2 vocabulary: %,d tokens, trie of %,d nodes built in %.0f ms (once per tokenizer)%n",
                tok.vocabSize(), trie.nodeCount(), (System.nanoTime() - t0) / 1e6);
        long c0 = System.nanoTime();
        StructuredOutput schema = StructuredOutput.jsonSchema(SCHEMA);
        System.out.printf("schema compiled in %.1f ms: %d rules after lowering%n", (System.nanoTime() - c0) / 1e6, schema.grammar().ruleCount());

        for (int round = 0; round < 3; round++) {
            Stats full = new Stats(), cpu = new Stats(), check = new Stats();
            for (int rep = 0; rep < 10; rep++) for (String doc : DOCUMENTS) teacherForced(schema, tok, doc, full, cpu, check);
            System.out.printf("round %d, real documents (%d steps): full mask median %.3f ms, mean %.3f ms, p99 %.3f ms, max %.3f ms"
                    + " (CPU time: median %.3f ms, mean %.3f ms, p99 %.3f ms); drawn-token check median %.2f us, p99 %.2f us%n", round,
                    full.size(), full.median() / 1e6, full.mean() / 1e6, full.p99() / 1e6, full.max() / 1e6, cpu.median() / 1e6,
                    cpu.mean() / 1e6, cpu.p99() / 1e6, check.median() / 1e3, check.p99() / 1e3);
        }
        Stats walk = new Stats(), walkCpu = new Stats();
        Random r = new Random(1);
        for (int rep = 0; rep < 20; rep++) randomWalk(schema, tok, r, walk, walkCpu);
        System.out.printf("random walks (%d steps, random strings): full mask median %.3f ms, mean %.3f ms, p99 %.3f ms (CPU time:"
                + " median %.3f ms, mean %.3f ms, p99 %.3f ms)%n", walk.size(), walk.median() / 1e6, walk.mean() / 1e6, walk.p99() / 1e6,
                walkCpu.median() / 1e6, walkCpu.mean() / 1e6, walkCpu.p99() / 1e6);

        if (args.length > 1) decode(Path.of(args[1]), schema, args.length > 2 ? Integer.parseInt(args[2]) : 2);
    }

    /** Feeds a document's tokens, computing the full mask before each (as if the drawn token were always refused). */
    static void teacherForced(StructuredOutput out, Tokenizer tok, String doc, Stats full, Stats cpu, Stats check) {
        GrammarConstraint c = out.newConstraint(tok);
        float[] logits = new float[tok.vocabSize()];
        TokenHistory h = new TokenHistory();
        for (int token : tok.encode(doc, false, false)) {
            long a0 = THREADS.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            c.process(logits, h);
            long b = System.nanoTime();
            cpu.add(THREADS.getCurrentThreadCpuTime() - a0);
            boolean ok = c.allows(token);
            long e = System.nanoTime();
            if (!ok || logits[token] == Float.NEGATIVE_INFINITY) throw new IllegalStateException("the document breaks the schema at token " + token);
            full.add(b - a);
            check.add(e - b);
            c.accept(token);
            Arrays.fill(logits, 0f);
        }
        if (!c.canEnd()) throw new IllegalStateException("the document is incomplete");
    }

    static void randomWalk(StructuredOutput out, Tokenizer tok, Random r, Stats full, Stats cpu) {
        GrammarConstraint c = out.newConstraint(tok);
        float[] logits = new float[tok.vocabSize()];
        TokenHistory h = new TokenHistory();
        for (int step = 0; step < 200 && !c.isComplete(); step++) {
            for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
            long a0 = THREADS.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            c.process(logits, h);
            full.add(System.nanoTime() - a);
            cpu.add(THREADS.getCurrentThreadCpuTime() - a0);
            int best = -1;
            for (int i = 0; i < logits.length; i++) if (logits[i] != Float.NEGATIVE_INFINITY && (best < 0 || logits[i] > logits[best])) best = i;
            c.accept(best);
        }
    }

    static void decode(Path modelPath, StructuredOutput schema, int threads) {
        try (Model model = Model.open(modelPath, ModelOptions.defaults().withThreads(threads))) {
            Tokenizer tok = Tokenizer.fromMetadata(model.file().metadata());
            Generator gen = new Generator(model, tok);
            int[] prompt = tok.encode("Extract the contract below as JSON.\n\nSupply agreement between Acme Office Ltd. and Globex.", true, false);
            SamplingParams sampling = SamplingParams.DEFAULTS.withSeed(7);
            List<Double> plain = new ArrayList<>(), constrained = new ArrayList<>(), share = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                KvCache seq = model.newSequence();
                GenerationResult a = gen.generate(seq, prompt, new GenerationRequest(sampling, 48, List.of(), true), text -> true);
                plain.add(a.decodeTokensPerSecond());
                seq = model.newSequence();
                Timed timed = new Timed(schema.newConstraint(tok));
                GenerationResult b = gen.generate(seq, prompt, GenerationRequest.of(sampling, 48), List.of(timed), text -> true);
                constrained.add(b.decodeTokensPerSecond());
                double maskMs = timed.processNanos / 1e6, checkMs = timed.checkNanos / 1e6;
                share.add((maskMs + checkMs) / (b.decodeNanos() / 1e6));
                System.out.printf("round %d: without schema %.2f tok/s (%d tokens); with schema %.2f tok/s (%d tokens, %s),"
                                + " full masks %d of %d steps (%.1f ms total, %.2f ms each), drawn-token checks %.2f ms total%n",
                        round, a.decodeTokensPerSecond(), a.tokens().length, b.decodeTokensPerSecond(), b.tokens().length,
                        b.finishReason().apiName(), timed.processCalls, timed.acceptCalls, maskMs,
                        timed.processCalls == 0 ? 0 : maskMs / timed.processCalls, checkMs);
            }
            double p = median(plain), c = median(constrained);
            System.out.printf("decode median: %.2f tok/s without, %.2f tok/s with the schema (%.1f%% slower; on a busy machine"
                    + " this difference is mostly noise); grammar work (masks + checks) took %.2f%% of the constrained decode time%n",
                    p, c, 100 * (1 - c / p), 100 * median(share));
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    /** Times what the sampler asks of a constraint. */
    static final class Timed implements TokenConstraint {
        final GrammarConstraint inner;
        long processNanos, checkNanos;
        int processCalls, acceptCalls;

        Timed(GrammarConstraint inner) {
            this.inner = inner;
        }

        @Override
        public void process(float[] logits, TokenHistory history) {
            long t = System.nanoTime();
            inner.process(logits, history);
            processNanos += System.nanoTime() - t;
            processCalls++;
        }

        @Override
        public boolean allows(int token) {
            long t = System.nanoTime();
            boolean ok = inner.allows(token);
            checkNanos += System.nanoTime() - t;
            return ok;
        }

        @Override
        public void accept(int token) {
            acceptCalls++;
            inner.accept(token);
        }

        @Override
        public boolean isComplete() {
            return inner.isComplete();
        }
    }

    static final class Stats {
        private long[] v = new long[1024];
        private int n;

        void add(long x) {
            if (n == v.length) v = Arrays.copyOf(v, n * 2);
            v[n++] = x;
        }

        int size() {
            return n;
        }

        double median() {
            return quantile(0.5);
        }

        double mean() {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += v[i];
            return sum / n;
        }

        double p99() {
            return quantile(0.99);
        }

        double max() {
            return quantile(1.0);
        }

        private double quantile(double q) {
            long[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s[Math.min(n - 1, (int) Math.floor(q * (n - 1)))];
        }
    }
}
