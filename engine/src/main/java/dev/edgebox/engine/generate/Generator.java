package dev.edgebox.engine.generate;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.sampling.Sampler;
import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.StreamDecoder;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * One sequence's generation loop: prompt -> prefill (in chunks, reusing the KV entries of a
 * common prefix from an earlier turn) -> sample -> decode -> text, streamed to a listener that
 * may cancel. The server's scheduler interleaves many sequences with its own loop; this one is for
 * the CLI and for single requests.
 */
public final class Generator {

    /** Receives text as it is generated; return false to stop. */
    @FunctionalInterface
    public interface Listener {
        boolean onText(String text);
    }

    private final Model model;
    private final Tokenizer tokenizer;
    private final AdapterStack adapters;

    public Generator(Model model, Tokenizer tokenizer) {
        this(model, tokenizer, AdapterStack.NONE);
    }

    /**
     * A generator whose every step runs with these LoRA adapters. Keys and values cached in a
     * sequence depend on the adapters: pass sequences filled with the same adapters (or fresh ones).
     */
    public Generator(Model model, Tokenizer tokenizer, AdapterStack adapters) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.adapters = adapters;
    }

    public GenerationResult generate(KvCache seq, int[] prompt, GenerationRequest request, Listener listener) {
        return generate(seq, prompt, request, List.of(), listener);
    }

    public GenerationResult generate(KvCache seq, int[] prompt, GenerationRequest request,
                                     List<LogitProcessor> processors, Listener listener) {
        int ctx = seq.capacity();
        if (prompt.length == 0) throw new EngineException("the prompt is empty");
        if (prompt.length >= ctx) {
            throw new EngineException("the prompt has " + prompt.length + " tokens but the context holds " + ctx
                    + " (leave room to generate; raise the context with -c/--ctx)");
        }
        int vocab = model.config().vocabSize();
        Sampler sampler = new Sampler(request.sampling());
        processors.forEach(sampler::addProcessor);
        TokenHistory history = new TokenHistory(prompt);

        // Prefill, skipping what the sequence already holds of this prompt (keep at least the last token to get logits).
        long t0 = System.nanoTime();
        int cached = Math.min(seq.commonPrefix(prompt), prompt.length - 1);
        seq.truncate(cached);
        Batch batch = new Batch(model.batchSize());
        float[] logits = null;
        for (int start = cached; start < prompt.length; start += model.batchSize()) {
            int end = Math.min(prompt.length, start + model.batchSize());
            batch.clear();
            for (int i = start; i < end; i++) batch.add(prompt[i], i, seq, i == prompt.length - 1, adapters);
            logits = model.forward(batch);
        }
        long prefill = System.nanoTime() - t0;

        // Decode.
        long t1 = System.nanoTime();
        StreamDecoder detok = tokenizer.newStreamDecoder(false);
        StopStrings stops = new StopStrings(request.stop());
        int[] out = new int[16];
        int n = 0;
        FinishReason finish = FinishReason.LENGTH;
        int limit = request.maxTokens() < 0 ? Integer.MAX_VALUE : request.maxTokens();
        while (n < limit) {
            int token = sampler.sample(logits, 0, vocab, history);
            if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
            out[n++] = token;
            history.add(token);
            if (!request.ignoreEos() && tokenizer.isEndOfGeneration(token)) {
                finish = FinishReason.STOP;
                break;
            }
            String shown = stops.add(detok.feed(token));
            if (!shown.isEmpty() && !listener.onText(shown)) {
                finish = FinishReason.CANCELLED;
                break;
            }
            if (stops.stopped()) {
                finish = FinishReason.STOP;
                break;
            }
            int pos = prompt.length + n - 1;
            if (pos >= ctx || n >= limit) break; // context full or done: do not compute logits nobody will use
            logits = model.forward(batch.clear().add(token, pos, seq, true, adapters));
        }
        if (finish != FinishReason.CANCELLED && !stops.stopped()) {
            String rest = stops.add(detok.flush()) + stops.flush();
            if (!rest.isEmpty()) listener.onText(rest);
        }
        long decode = System.nanoTime() - t1;
        return new GenerationResult(java.util.Arrays.copyOf(out, n), stops.text(), finish, prompt.length, cached,
                prefill, decode, sampler.seed());
    }
}
