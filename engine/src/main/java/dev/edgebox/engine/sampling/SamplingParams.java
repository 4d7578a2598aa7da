package dev.edgebox.engine.sampling;

import dev.edgebox.engine.EngineException;

/**
 * How the next token is chosen. Defaults follow llama.cpp's: temperature 0.8, top-k 40, top-p 0.95,
 * min-p 0.05, penalties off. Temperature 0 means greedy (argmax). A seed of -1 picks one at random.
 *
 * @param penaltyLastN how many recent tokens the penalties look at (-1 = the whole context)
 */
public record SamplingParams(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repeatPenalty,
        float frequencyPenalty,
        float presencePenalty,
        int penaltyLastN,
        long seed) {

    public static final SamplingParams DEFAULTS = new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1.0f, 0f, 0f, 64, -1);
    public static final SamplingParams GREEDY = DEFAULTS.withTemperature(0);

    public SamplingParams {
        if (!(temperature >= 0)) throw new EngineException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new EngineException("top_k must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new EngineException("top_p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new EngineException("min_p must be in [0, 1], got " + minP);
        if (!(repeatPenalty > 0)) throw new EngineException("repeat_penalty must be > 0, got " + repeatPenalty);
        if (Float.isNaN(frequencyPenalty) || Float.isNaN(presencePenalty)) throw new EngineException("penalties must be numbers");
        if (penaltyLastN < -1) throw new EngineException("penalty_last_n must be >= -1, got " + penaltyLastN);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public boolean hasPenalties() {
        return repeatPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f;
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplingParams withMinP(float p) {
        return new SamplingParams(temperature, topK, topP, p, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplingParams withPenalties(float repeat, float frequency, float presence, int lastN) {
        return new SamplingParams(temperature, topK, topP, minP, repeat, frequency, presence, lastN, seed);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, s);
    }
}
