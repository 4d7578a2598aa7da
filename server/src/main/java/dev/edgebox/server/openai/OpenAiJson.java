package dev.edgebox.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationResult;
import java.util.List;

/** The JSON shapes of OpenAI responses, as records (snake_case on the wire). */
final class OpenAiJson {
    private OpenAiJson() {}

    static final String FINGERPRINT = "edgebox";

    /** OpenAI knows stop and length; a request the server cut short (shutdown) reads as length. */
    static String finishReason(FinishReason r) {
        return r == FinishReason.STOP ? "stop" : "length";
    }

    record ModelCard(String id, String object, long created, String ownedBy) {}

    record ModelList(String object, List<ModelCard> data) {}

    record CachedTokens(int cachedTokens) {}

    record Usage(int promptTokens, int completionTokens, int totalTokens, CachedTokens promptTokensDetails) {
        static Usage of(GenerationResult r) {
            return new Usage(r.promptTokens(), r.tokens().length, r.promptTokens() + r.tokens().length, new CachedTokens(r.cachedTokens()));
        }
    }

    record Message(String role, String content, String refusal) {}

    record ChatChoice(int index, Message message, Object logprobs, String finishReason) {}

    record ChatCompletion(String id, String object, long created, String model, String systemFingerprint, List<ChatChoice> choices,
                          Usage usage) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {}

    record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {}

    record ChatChunk(String id, String object, long created, String model, String systemFingerprint, List<ChunkChoice> choices,
                     Usage usage) {}

    record TextChoice(String text, int index, Object logprobs, String finishReason) {}

    record TextCompletion(String id, String object, long created, String model, String systemFingerprint, List<TextChoice> choices,
                          Usage usage) {}

    record EmbeddingUsage(int promptTokens, int totalTokens) {}

    /** @param embedding a float array, or a base64 string of little-endian float32 values */
    record Embedding(String object, int index, Object embedding) {}

    record EmbeddingList(String object, List<Embedding> data, String model, EmbeddingUsage usage) {}
}
