package dev.edgebox.engine.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * Repetition, frequency and presence penalties over the last N tokens, as llama.cpp applies them:
 * a repeated token's positive logit is divided by the repeat penalty and a negative one multiplied;
 * then count * frequency + presence is subtracted.
 */
public final class Penalties implements LogitProcessor {
    private final float repeat;
    private final float frequency;
    private final float presence;
    private final int lastN;
    private final Map<Integer, Integer> counts = new HashMap<>();

    public Penalties(SamplingParams p) {
        this.repeat = p.repeatPenalty();
        this.frequency = p.frequencyPenalty();
        this.presence = p.presencePenalty();
        this.lastN = p.penaltyLastN();
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        if (lastN == 0) return;
        counts.clear();
        int from = lastN < 0 ? 0 : Math.max(0, history.size() - lastN);
        for (int i = from; i < history.size(); i++) counts.merge(history.get(i), 1, Integer::sum);
        for (var e : counts.entrySet()) {
            int t = e.getKey();
            if (t < 0 || t >= logits.length) continue;
            float l = logits[t];
            l = l <= 0 ? l * repeat : l / repeat;
            logits[t] = l - e.getValue() * frequency - presence;
        }
    }
}
