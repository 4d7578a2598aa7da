package dev.edgebox.server.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.server.inference.ModelInfo;
import java.util.List;
import java.util.Map;

/** The JSON shapes of Ollama responses, as records (snake_case on the wire; absent values left out). */
final class OllamaJson {
    private OllamaJson() {}

    /** Ollama's done_reason: stop or length (a request the server cut short reads as length). */
    static String doneReason(FinishReason r) {
        return r == FinishReason.STOP ? "stop" : "length";
    }

    record Error(String error) {}

    record Version(String version) {}

    record Details(String parentModel, String format, String family, List<String> families, String parameterSize, String quantizationLevel) {
        static Details of(ModelInfo m) {
            return new Details("", "gguf", m.architecture(), List.of(m.architecture()), m.parameterSize(), m.quantization());
        }
    }

    record Tag(String name, String model, String modifiedAt, long size, String digest, Details details) {}

    record Tags(List<Tag> models) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Running(String name, String model, long size, String digest, Details details, String expiresAt, long sizeVram, int contextLength) {}

    record Ps(List<Running> models) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Show(String license, String modelfile, String parameters, String template, Details details, Map<String, Object> modelInfo,
                List<String> capabilities, String modifiedAt) {}

    record ChatMessage(String role, String content) {}

    /** A streamed piece or the final answer of /api/chat (message) or /api/generate (response). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Answer(String model, String createdAt, ChatMessage message, String response, boolean done, String doneReason,
                  Long totalDuration, Long loadDuration, Integer promptEvalCount, Long promptEvalDuration, Integer evalCount,
                  Long evalDuration) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Embed(String model, List<float[]> embeddings, Long totalDuration, Long loadDuration, Integer promptEvalCount) {}

    record LegacyEmbedding(float[] embedding) {}
}
