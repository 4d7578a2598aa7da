package dev.edgebox.engine.tokenizer;

/** One step of a pre-tokenizer: splits each segment of the text further, in order. */
interface SplitStage {
    /**
     * @param text     the whole text being split
     * @param segments the current segments, as code point lengths that add up to the text's length
     * @return the new segments, each a sub-segment of one of the given ones
     */
    IntList split(SplitText text, IntList segments);
}
