/**
 * Tokenizers built from GGUF metadata the way llama.cpp builds them, so that a text gives the same
 * token ids as in llama.cpp.
 *
 * <p>{@link dev.edgebox.engine.tokenizer.Tokenizer#fromMetadata} reads the vocabulary
 * ({@code VocabularyReader}: ids, flags, special tokens found by their text) and picks the
 * algorithm: byte-level BPE ({@code BpeEncoder}, with the pre-tokenizer of
 * {@code tokenizer.ggml.pre} from {@code PreTokenizers}), SentencePiece ({@code SpmEncoder}) or
 * WordPiece ({@code WordPieceEncoder}). Encoding cuts special tokens out of the text first
 * ({@code SpecialTokenSplitter}); decoding goes through {@code TokenPieces}, and
 * {@link dev.edgebox.engine.tokenizer.StreamDecoder} streams generated tokens without ever
 * splitting a UTF-8 character.
 */
package dev.edgebox.engine.tokenizer;
