package dev.edgebox.engine.generate;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.sampling.SamplingParams;
import java.util.List;

/**
 * What to generate after a prompt.
 *
 * @param maxTokens      generated tokens at most (-1 = until the context is full)
 * @param stop           strings that end generation; they are not part of the output
 * @param ignoreEos      keep going past end-of-generation tokens (benchmarks, conformance runs)
 */
public record GenerationRequest(SamplingParams sampling, int maxTokens, List<String> stop, boolean ignoreEos) {

    public GenerationRequest {
        if (maxTokens < -1) throw new EngineException("max tokens must be >= 0 (or -1 for no limit), got " + maxTokens);
        stop = stop == null ? List.of() : stop.stream().filter(s -> !s.isEmpty()).toList();
    }

    public static GenerationRequest of(SamplingParams sampling, int maxTokens) {
        return new GenerationRequest(sampling, maxTokens, List.of(), false);
    }
}
