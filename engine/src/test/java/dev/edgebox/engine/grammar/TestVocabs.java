package dev.edgebox.engine.grammar;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokenizers from ../shared, loaded once per test run; tests skip when ../shared is absent. */
final class TestVocabs {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private TestVocabs() {}

    /** Qwen2's 151k-token vocabulary. */
    static Tokenizer qwen2() {
        return load("reference/tokenizers/ggml-vocab-qwen2.gguf");
    }

    static Tokenizer load(String relative) {
        Path file = Shared.require(relative);
        return LOADED.computeIfAbsent(relative, r -> {
            try (GgufFile gguf = GgufFile.open(file)) {
                return Tokenizer.fromMetadata(gguf.metadata());
            }
        });
    }
}
