package dev.edgebox.app;

import dev.edgebox.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampling flags shared by the commands that generate text; defaults are llama.cpp's. */
public final class SamplingArgs {
    @Option(names = "--temp", paramLabel = "T", description = "Temperature; 0 = greedy (default: 0.8).")
    float temperature = SamplingParams.DEFAULTS.temperature();

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default: 40).")
    int topK = SamplingParams.DEFAULTS.topK();

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold (default: 0.95).")
    float topP = SamplingParams.DEFAULTS.topP();

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens below P x the top probability (default: 0.05).")
    float minP = SamplingParams.DEFAULTS.minP();

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "Penalty for repeated tokens; 1 = off (default: 1.0).")
    float repeatPenalty = 1f;

    @Option(names = "--frequency-penalty", paramLabel = "X", description = "Subtract X per earlier occurrence (default: 0).")
    float frequencyPenalty = 0f;

    @Option(names = "--presence-penalty", paramLabel = "X", description = "Subtract X once a token occurred (default: 0).")
    float presencePenalty = 0f;

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "Tokens the penalties look back at; -1 = all (default: 64).")
    int penaltyLastN = 64;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same output (default: random).")
    long seed = -1;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stop = new ArrayList<>();

    public SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }
}
