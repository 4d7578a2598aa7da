package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.gguf.GgufMetadata;
import java.util.OptionalInt;

/**
 * A model's tokenizer, built from its GGUF metadata exactly as llama.cpp builds it, so that the
 * same text gives the same token ids. Byte-level BPE ({@code tokenizer.ggml.model = "gpt2"}, with
 * the pre-tokenizer named by {@code tokenizer.ggml.pre}), SentencePiece BPE ({@code "llama"}) and
 * WordPiece ({@code "bert"}) are supported. Instances are immutable and thread-safe.
 */
public interface Tokenizer {

    /** Builds the tokenizer a model file describes; an EngineException names what is unsupported or missing. */
    static Tokenizer fromMetadata(GgufMetadata metadata) {
        return VocabTokenizer.create(VocabularyReader.read(metadata), metadata);
    }

    int vocabSize();

    /**
     * Token ids of a text.
     *
     * @param addSpecial   add BOS/EOS as the metadata says (tokenizer.ggml.add_bos_token/add_eos_token)
     * @param parseSpecial text of control tokens (e.g. "&lt;|im_start|&gt;") becomes those tokens;
     *                     user-defined tokens are always recognised, as in llama.cpp
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The text of a token sequence, as llama.cpp's detokenizer gives it: control tokens only when
     * renderSpecial; SentencePiece output loses the leading space of the first token; vocabularies
     * that ask for it get the clean-up of tokenization spaces (" ," becomes ","). Bytes that are
     * not valid UTF-8 become U+FFFD.
     */
    String decode(int[] ids, boolean renderSpecial);

    /** The bytes this token contributes to output (empty for control tokens unless renderSpecial). */
    byte[] tokenBytes(int id, boolean renderSpecial);

    /** A decoder for generated tokens that never splits a UTF-8 character; see {@link StreamDecoder}. */
    StreamDecoder newStreamDecoder(boolean renderSpecial);

    /** The beginning-of-sequence token, or -1 if none. */
    int bosId();

    /** The end-of-sequence token, or -1 if none. */
    int eosId();

    /** The end-of-turn token (e.g. "&lt;|im_end|&gt;", "&lt;|eot_id|&gt;"), or -1 if none. */
    int eotId();

    /** Whether encode(text, addSpecial = true, ...) starts with BOS. */
    boolean addBos();

    /** Whether encode(text, addSpecial = true, ...) ends with EOS. */
    boolean addEos();

    /** True for tokens that end generation: EOS, EOT, EOM and the end tokens llama.cpp knows by text. */
    boolean isEndOfGeneration(int id);

    /** All end-of-generation tokens, ascending. */
    int[] endOfGenerationIds();

    /** The id of the token whose vocabulary entry is exactly this text. */
    OptionalInt tokenId(String exactTokenText);

    /** The raw vocabulary entry of a token (e.g. "Ġthe", "▁the", "&lt;0x0A&gt;"). */
    String tokenText(int id);

    /** True for control tokens (BOS, EOS, "&lt;|im_start|&gt;", ...), which render only when asked. */
    boolean isControl(int id);

    /** The tokenizer.ggml.model value: "gpt2", "llama" or "bert". */
    String model();

    /** The pre-tokenizer used (tokenizer.ggml.pre, or "default"); empty for non-BPE vocabularies. */
    String preTokenizer();
}
