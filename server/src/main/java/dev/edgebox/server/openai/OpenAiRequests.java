package dev.edgebox.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.server.format.RequestFormats;
import dev.edgebox.server.http.ChatFields;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.inference.ServedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OpenAI request bodies into what the engine needs, refusing every value it cannot honour
 * with a 400 that names the field. Sampling follows OpenAI's names and ranges, plus llama.cpp's
 * extensions top_k, min_p, repeat_penalty and ignore_eos; unset values take llama.cpp's defaults.
 */
final class OpenAiRequests {
    static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");

    /** A generation request as read: what to generate and how to answer. */
    record Parsed(GenerationRequest generation, boolean stream, boolean includeUsage, StructuredOutput format) {}

    private OpenAiRequests() {}

    /** The options shared by chat and text completions. */
    static Parsed generation(Fields f, ServedModel model) {
        return generation(f, model, SamplingParams.DEFAULTS, null);
    }

    /**
     * The options shared by chat and text completions, where an absent sampling value takes
     * {@code base}'s and an absent token limit {@code defaultMaxTokens} (null: the server's default).
     * The output format (response_format, guided_*, grammar) is read here too.
     */
    static Parsed generation(Fields f, ServedModel model, SamplingParams base, Integer defaultMaxTokens) {
        Integer n = f.optInt("n", 1, 128);
        if (n != null && n != 1) throw f.invalid("n", "must be 1: edgebox generates one choice per request, got " + n);
        Integer bestOf = f.optInt("best_of", 1, 128);
        if (bestOf != null && bestOf != 1) throw f.invalid("best_of", "must be 1, got " + bestOf);
        JsonNode logprobs = f.get("logprobs");
        if (logprobs != null && !(logprobs.isBoolean() && !logprobs.booleanValue()) && !(logprobs.isNumber() && logprobs.asInt() == 0)) {
            throw f.invalid("logprobs", "is not supported yet");
        }
        if (f.has("top_logprobs")) throw f.invalid("top_logprobs", "is not supported yet");
        JsonNode bias = f.get("logit_bias");
        if (bias != null && !(bias.isObject() && bias.isEmpty())) throw f.invalid("logit_bias", "is not supported yet");
        List<JsonNode> tools = f.optArray("tools");
        if (tools != null && !tools.isEmpty()) throw f.invalid("tools", "are not supported yet: this server returns no tool calls");
        StructuredOutput format = RequestFormats.openAi(f, model.formats());

        Integer maxTokens = f.optInt("max_completion_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) maxTokens = f.optInt("max_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) maxTokens = defaultMaxTokens;
        SamplingParams d = base;
        Double temperature = f.optNumber("temperature", 0, 2);
        Double topP = f.optNumber("top_p", 0, 1);
        if (topP != null && topP == 0) throw f.invalid("top_p", "must be greater than 0 (use temperature 0 for greedy output)");
        Integer topK = f.optInt("top_k", 0, Integer.MAX_VALUE);
        Double minP = f.optNumber("min_p", 0, 1);
        Double frequency = f.optNumber("frequency_penalty", -2, 2);
        Double presence = f.optNumber("presence_penalty", -2, 2);
        Double repeat = f.optNumber("repeat_penalty", 0, 10);
        if (repeat != null && repeat == 0) throw f.invalid("repeat_penalty", "must be greater than 0 (1 = off)");
        Long seed = f.optLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        SamplingParams sampling = new SamplingParams(
                temperature == null ? d.temperature() : temperature.floatValue(),
                topK == null ? d.topK() : topK,
                topP == null ? d.topP() : topP.floatValue(),
                minP == null ? d.minP() : minP.floatValue(),
                repeat == null ? d.repeatPenalty() : repeat.floatValue(),
                frequency == null ? d.frequencyPenalty() : frequency.floatValue(),
                presence == null ? d.presencePenalty() : presence.floatValue(),
                d.penaltyLastN(),
                seed == null ? d.seed() : seed & Long.MAX_VALUE);
        GenerationRequest generation = new GenerationRequest(sampling, model.maxTokens(maxTokens), ChatFields.stops(f), f.bool("ignore_eos", false));

        boolean stream = f.bool("stream", false);
        Fields streamOptions = f.optObject("stream_options");
        boolean usage = streamOptions != null && streamOptions.bool("include_usage", false);
        return new Parsed(generation, stream, usage, format);
    }

    /** "messages" as the chat template wants them: role, content text, and name or tool ids when given. */
    static List<Map<String, Object>> messages(Fields f) {
        return ChatFields.messages(f, ROLES, (m, role) -> {
            Map<String, Object> msg = ChatPrompt.message(role.equals("developer") ? "system" : role, content(m, role));
            String name = m.optString("name", null);
            if (name != null) msg.put("name", name);
            String toolCallId = m.optString("tool_call_id", null);
            if (toolCallId != null) msg.put("tool_call_id", toolCallId);
            return msg;
        });
    }

    /** A message's content: a string, or an array of text parts joined. */
    private static String content(Fields m, String role) {
        JsonNode c = m.get("content");
        if (c == null) {
            if (role.equals("assistant")) return ""; // an assistant turn that only called tools
            throw m.invalid("content", "is required");
        }
        if (c.isTextual()) return c.asText();
        if (!c.isArray()) throw m.invalid("content", "must be a string or an array of content parts, got " + Fields.kind(c));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            if (!c.get(i).isObject()) throw m.invalid("content", "part " + i + " must be an object, got " + Fields.kind(c.get(i)));
            Fields part = Fields.of(c.get(i), m.param("content") + "[" + i + "]");
            String type = part.string("type");
            if (!type.equals("text")) {
                throw part.invalid("type", "'" + type + "' is not supported: this server runs a text-only model (parts of type 'text' only)");
            }
            text.append(part.string("text"));
        }
        return text.toString();
    }

    /** Template variables from llama.cpp's and vLLM's "chat_template_kwargs" (e.g. enable_thinking). */
    static Map<String, Object> templateVariables(Fields f) {
        Fields kw = f.optObject("chat_template_kwargs");
        Map<String, Object> out = new LinkedHashMap<>();
        if (kw == null) return out;
        kw.raw().properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isBoolean()) out.put(e.getKey(), v.booleanValue());
            else if (v.isIntegralNumber()) out.put(e.getKey(), v.asLong());
            else if (v.isNumber()) out.put(e.getKey(), v.asDouble());
            else if (v.isTextual()) out.put(e.getKey(), v.asText());
            else throw kw.invalid(e.getKey(), "must be a string, number or boolean");
        });
        return out;
    }

    /**
     * "prompt" of a text completion: a string, an array holding one string, an array of token ids,
     * or an array holding one array of token ids.
     */
    static int[] prompt(Fields f, ServedModel model) {
        JsonNode p = f.get("prompt");
        if (p == null) throw f.invalid("prompt", "is required");
        if (p.isTextual()) return model.textPrompt(p.asText());
        if (!p.isArray()) throw f.invalid("prompt", "must be a string, an array of token ids, or an array with one of these; got " + Fields.kind(p));
        if (p.isEmpty()) throw f.invalid("prompt", "is an empty array");
        if (p.get(0).isTextual() || p.get(0).isArray()) {
            if (p.size() != 1) throw f.invalid("prompt", "holds " + p.size() + " prompts; edgebox takes one prompt per request");
            JsonNode only = p.get(0);
            if (only.isTextual()) return model.textPrompt(only.asText());
            return model.tokenIds(ids(f, "prompt", only, "prompt[0]"), "prompt[0]");
        }
        return model.tokenIds(ids(f, "prompt", p, "prompt"), "prompt");
    }

    /** Token ids of a JSON array; {@code field} is the request field it sits in, {@code path} the array's own path. */
    static List<Integer> ids(Fields f, String field, JsonNode array, String path) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode t = array.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw f.invalid(field, "must hold token ids (integers); " + path + "[" + i + "] is " + Fields.kind(t));
            }
            ids.add(t.asInt());
        }
        return ids;
    }
}
