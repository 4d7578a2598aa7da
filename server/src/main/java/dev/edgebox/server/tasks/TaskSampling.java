package dev.edgebox.server.tasks;

import dev.edgebox.engine.sampling.SamplingParams;

/**
 * A task's default sampling, each value optional (null: the server's default). A call's params
 * override them one by one.
 */
public record TaskSampling(Float temperature, Integer topK, Float topP, Float minP, Float repeatPenalty, Long seed, Integer maxTokens) {
    public static final TaskSampling NONE = new TaskSampling(null, null, null, null, null, null, null);

    /** These values over {@code base}. */
    public SamplingParams over(SamplingParams base) {
        return new SamplingParams(
                temperature == null ? base.temperature() : temperature,
                topK == null ? base.topK() : topK,
                topP == null ? base.topP() : topP,
                minP == null ? base.minP() : minP,
                repeatPenalty == null ? base.repeatPenalty() : repeatPenalty,
                base.frequencyPenalty(),
                base.presencePenalty(),
                base.penaltyLastN(),
                seed == null ? base.seed() : seed);
    }

    /** Values of {@code other} where it has them, these elsewhere. */
    public TaskSampling overriddenBy(TaskSampling other) {
        return new TaskSampling(
                other.temperature != null ? other.temperature : temperature,
                other.topK != null ? other.topK : topK,
                other.topP != null ? other.topP : topP,
                other.minP != null ? other.minP : minP,
                other.repeatPenalty != null ? other.repeatPenalty : repeatPenalty,
                other.seed != null ? other.seed : seed,
                other.maxTokens != null ? other.maxTokens : maxTokens);
    }
}
