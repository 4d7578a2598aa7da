package dev.edgebox.engine.generate;

import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * One sequence's generation loop: prompt -> prefill (in chunks, reusing the KV entries of a
 * common prefix from an earlier turn) -> sample -> decode -> text, streamed to a listener that
 * may cancel. The per-token steps live in {@link Completion}, which the server's scheduler drives for
 * many sequences at once; this loop is for the CLI and for single requests.
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
        Completion completion = new Completion(tokenizer, request, prompt, seq.capacity(), model.config().vocabSize(), processors);

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
        while (!completion.finished()) {
            String shown = completion.accept(logits, 0);
            if (!shown.isEmpty() && !listener.onText(shown)) completion.cancel();
            if (completion.finished()) break; // do not compute logits nobody will use
            logits = model.forward(batch.clear().add(completion.lastToken(), completion.lastPosition(), seq, true, adapters));
        }
        String rest = completion.flush();
        if (!rest.isEmpty()) listener.onText(rest);
        long decode = System.nanoTime() - t1;
        return completion.result(cached, prefill, decode);
    }
}
