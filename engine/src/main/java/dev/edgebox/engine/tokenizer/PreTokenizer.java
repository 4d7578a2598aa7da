package dev.edgebox.engine.tokenizer;

import java.util.List;

/**
 * How a byte-level BPE vocabulary splits text into words before merging, and the few switches
 * llama.cpp ties to the same {@code tokenizer.ggml.pre} value.
 *
 * @param name         the pre-tokenizer name the settings were chosen for
 * @param stages       split steps, applied in order, each to every segment of the previous one
 * @param cleanSpaces  detokenizing removes spaces before ?!., and in contractions ("clean_up_tokenization_spaces")
 * @param ignoreMerges a word that is itself a token is taken whole, without running the merges
 * @param addBos       the default for tokenizer.ggml.add_bos_token
 * @param noBos        the vocabulary has no BOS token unless the metadata names one
 */
record PreTokenizer(String name, List<SplitStage> stages, boolean cleanSpaces, boolean ignoreMerges,
                    boolean addBos, boolean noBos) {

    /** Splits code points into words, returned as code point lengths. */
    IntList split(int[] cps) {
        SplitText text = new SplitText(cps);
        IntList segments = new IntList(4);
        if (cps.length > 0) segments.add(cps.length);
        for (SplitStage stage : stages) segments = stage.split(text, segments);
        return segments;
    }
}
