package dev.edgebox.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.server.format.RequestFormats;
import dev.edgebox.server.http.ChatFields;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.inference.ServedModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Ollama request bodies: messages, the {@code options} object (temperature, top_k, top_p,
 * min_p, num_predict, stop, seed, repeat_penalty, repeat_last_n, presence_penalty,
 * frequency_penalty; options about hardware such as num_ctx or num_gpu are the server's business
 * and are ignored), and the features this server refuses with a 400 rather than ignore (images,
 * tools); {@code format} ("json" or a JSON Schema) constrains the output.
 */
final class OllamaRequests {
    static final List<String> ROLES = List.of("system", "user", "assistant", "tool");

    private OllamaRequests() {}

    static void refuseUnsupported(Fields f) {
        List<JsonNode> tools = f.optArray("tools");
        if (tools != null && !tools.isEmpty()) throw f.invalid("tools", "are not supported yet: this server returns no tool calls");
        List<JsonNode> images = f.optArray("images");
        if (images != null && !images.isEmpty()) throw f.invalid("images", "are not supported: this server runs a text-only model");
    }

    /** "format": "json" or a JSON Schema; null for free text. */
    static StructuredOutput format(Fields f, ServedModel model) {
        return RequestFormats.ollama(f, model.formats());
    }

    static GenerationRequest generation(Fields f, ServedModel model) {
        Fields o = f.optObject("options");
        if (o == null) o = Fields.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "options");
        SamplingParams d = SamplingParams.DEFAULTS;
        Double temperature = o.optNumber("temperature", 0, 100);
        Integer topK = o.optInt("top_k", 0, Integer.MAX_VALUE);
        Double topP = o.optNumber("top_p", 0, 1);
        if (topP != null && topP == 0) throw o.invalid("top_p", "must be greater than 0 (use temperature 0 for greedy output)");
        Double minP = o.optNumber("min_p", 0, 1);
        Double repeat = o.optNumber("repeat_penalty", 0, 100);
        if (repeat != null && repeat == 0) throw o.invalid("repeat_penalty", "must be greater than 0 (1 = off)");
        Integer lastN = o.optInt("repeat_last_n", -1, Integer.MAX_VALUE);
        Double presence = o.optNumber("presence_penalty", -100, 100);
        Double frequency = o.optNumber("frequency_penalty", -100, 100);
        Long seed = o.optLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        Integer numPredict = o.optInt("num_predict", -2, Integer.MAX_VALUE);
        if (numPredict != null && numPredict == 0) {
            throw o.invalid("num_predict", "must be positive, -1 (up to the server's limit) or -2 (fill the context), got 0");
        }
        SamplingParams sampling = new SamplingParams(
                temperature == null ? d.temperature() : temperature.floatValue(),
                topK == null ? d.topK() : topK,
                topP == null ? d.topP() : topP.floatValue(),
                minP == null ? d.minP() : minP.floatValue(),
                repeat == null ? d.repeatPenalty() : repeat.floatValue(),
                frequency == null ? d.frequencyPenalty() : frequency.floatValue(),
                presence == null ? d.presencePenalty() : presence.floatValue(),
                lastN == null ? d.penaltyLastN() : lastN,
                seed == null || seed < 0 ? -1 : seed);
        int maxTokens = model.maxTokens(numPredict == null || numPredict < 0 ? null : numPredict);
        return new GenerationRequest(sampling, maxTokens, ChatFields.stops(o), o.bool("ignore_eos", false));
    }

    static List<Map<String, Object>> messages(Fields f) {
        return ChatFields.messages(f, ROLES, (m, role) -> {
            List<JsonNode> images = m.optArray("images");
            if (images != null && !images.isEmpty()) throw m.invalid("images", "are not supported: this server runs a text-only model");
            return ChatPrompt.message(role, m.optString("content", ""));
        });
    }

    /** Ollama's "think": true/false, or a level ("low", "medium", "high") meaning on. */
    static Map<String, Object> templateVariables(Fields f) {
        Map<String, Object> vars = new LinkedHashMap<>();
        JsonNode think = f.get("think");
        if (think == null) return vars;
        if (think.isBoolean()) vars.put("enable_thinking", think.booleanValue());
        else if (think.isTextual() && Set.of("low", "medium", "high").contains(think.asText())) vars.put("enable_thinking", true);
        else throw f.invalid("think", "must be true, false, or one of low, medium, high; got " + think);
        return vars;
    }
}
