package dev.edgebox.server.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgebox.engine.grammar.JsonSchemaValidator;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.Http.Reply;
import dev.edgebox.server.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The acceptance property over HTTP: random schemas, regexes, choice lists and grammars, sampled at
 * temperature 1.0 over the full distribution from reference models with random weights, sent four
 * at a time (so constrained and unconstrained requests share batches), through the OpenAI chat and
 * completions routes (whole and streamed) and Ollama's generate. Every 200 answer that says "stop"
 * must parse and validate; every other one must say "length"; none may exceed its token limit.
 */
class StructuredOutputPropertyTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final List<String> REGEXES = List.of("[a-z]{1,5}", "\\d{3}-\\d{4}", "(yes|no|maybe)", "[A-Z][a-z]{0,6}( [A-Z][a-z]{0,6})?",
            "0x[0-9a-f]{2,6}", "(ab)+c?", "[^\\s\"]{1,4}", "[a-z]{1,6}@[a-z]{1,6}\\.(com|org)", "-?\\d{1,4}(\\.\\d\\d)?", "[一-龥]{1,3}");
    static final List<String> WORDS = List.of("positive", "negative", "neutral", "yes", "yes please", "no", "正面", "负面", "billing",
            "technical", "A", "B");
    static final List<String> GRAMMARS = List.of(
            "root ::= \"(\" item (\",\" item){0,3} \")\"\nitem ::= [0-9]{1,3} | \"x\"",
            "root ::= greeting \" \" name \"!\"\ngreeting ::= \"hi\" | \"hello\"\nname ::= [A-Z] [a-z]{1,6}");

    record Case(String description, String path, String body, boolean stream, boolean ollama, int maxTokens, Function<String, String> check) {}

    @ParameterizedTest
    @CsvSource({"reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf, 48", "reference/models/stories260K/stories260K-f32.gguf, 32",
            "reference/models/tiny-llama/tiny-llama-q4_k_m.gguf, 24"})
    void everyStopAnswerValidates(String model, int cases) throws Exception {
        Map<String, Object> settings = TestServers.settings(model);
        settings.put("max-tokens", 64);
        Random r = new Random(model.hashCode());
        boolean chat = model.contains("qwen2");
        List<Case> all = new ArrayList<>();
        for (int i = 0; i < cases; i++) all.add(randomCase(r, chat));
        int stopped = 0, length = 0;
        try (EdgeServer server = TestServers.start(settings); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (Case c : all) results.add(pool.submit(() -> run(server.url(), c)));
            for (int i = 0; i < all.size(); i++) {
                String finish = results.get(i).get();
                if (finish.equals("stop")) stopped++;
                else length++;
            }
        }
        System.out.printf("%s over HTTP: %d cases, %d stopped and valid, %d length%n", model, cases, stopped, length);
        assertTrue(stopped >= cases / 3, "too few answers finished to prove much: " + stopped + " of " + cases);
    }

    /** Sends one case and checks its answer; returns the finish reason. */
    static String run(String url, Case c) throws IOException {
        Reply reply = Http.post(url + c.path(), c.body());
        String where = c.description() + "\n" + reply.body();
        assertEquals(200, reply.status(), where);
        String text, finish;
        int tokens;
        if (c.ollama()) {
            JsonNode j = reply.json();
            text = j.path("response").asText();
            finish = j.path("done_reason").asText();
            tokens = j.path("eval_count").asInt();
        } else if (c.stream()) {
            StringBuilder b = new StringBuilder();
            finish = null;
            tokens = -1;
            for (String line : reply.body().split("\n")) {
                if (!line.startsWith("data: {")) continue;
                JsonNode chunk = Http.JSON.readTree(line.substring(6));
                if (chunk.has("usage") && !chunk.path("usage").isNull()) tokens = chunk.path("usage").path("completion_tokens").asInt();
                for (JsonNode ch : chunk.path("choices")) {
                    b.append(ch.has("delta") ? ch.path("delta").path("content").asText("") : ch.path("text").asText(""));
                    if (!ch.path("finish_reason").isNull()) finish = ch.path("finish_reason").asText();
                }
            }
            text = b.toString();
        } else {
            JsonNode ch = reply.json().path("choices").get(0);
            text = ch.has("message") ? ch.path("message").path("content").asText() : ch.path("text").asText();
            finish = ch.path("finish_reason").asText();
            tokens = reply.json().path("usage").path("completion_tokens").asInt();
        }
        assertTrue(tokens >= 0 && tokens <= c.maxTokens(), "token limit kept: " + tokens + "\n" + where);
        switch (finish) {
            case "stop" -> assertNull(c.check().apply(text), () -> "a 'stop' answer must validate: " + text + "\n" + where);
            case "length" -> { }
            default -> fail("finish reason " + finish + "\n" + where);
        }
        return finish;
    }

    static Case randomCase(Random r, boolean chat) {
        int maxTokens = 12 + r.nextInt(37);
        long seed = r.nextLong() >>> 1;
        int kind = r.nextInt(10);
        String field;
        String description;
        Function<String, String> check;
        if (kind < 5) {
            String schema = schema(r, 0).toString();
            JsonSchemaValidator validator = new JsonSchemaValidator(schema);
            check = text -> jackson(text) == null ? "Jackson cannot read it" : validator.check(text);
            description = "schema " + schema;
            field = switch (r.nextInt(3)) {
                case 0 -> "\"guided_json\":" + schema;
                default -> "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"t\",\"strict\":true,\"schema\":" + schema + "}}";
            };
            if (r.nextInt(4) == 0) return ollama(description, schema, maxTokens, seed, check);
        } else if (kind < 6) {
            check = text -> jackson(text) instanceof ObjectNode ? null : "not a JSON object";
            description = "json_object";
            field = "\"response_format\":{\"type\":\"json_object\"}";
            if (r.nextInt(3) == 0) return ollama(description, "\"json\"", maxTokens, seed, check);
        } else if (kind < 8) {
            String regex = REGEXES.get(r.nextInt(REGEXES.size()));
            check = text -> Pattern.matches(regex, text) ? null : "does not match " + regex;
            description = "regex " + regex;
            field = "\"guided_regex\":" + Http.JSON.valueToTree(regex);
        } else if (kind < 9) {
            List<String> choices = new ArrayList<>(WORDS);
            java.util.Collections.shuffle(choices, r);
            List<String> picked = List.copyOf(choices.subList(0, 1 + r.nextInt(4)));
            check = text -> picked.contains(text) ? null : "not one of " + picked;
            description = "choices " + picked;
            field = "\"guided_choice\":" + Http.JSON.valueToTree(picked);
        } else {
            String gbnf = GRAMMARS.get(r.nextInt(GRAMMARS.size()));
            Pattern sentence = Pattern.compile(gbnf.startsWith("root ::= \"(\"") ? "\\((x|[0-9]{1,3})(,(x|[0-9]{1,3})){0,3}\\)"
                    : "(hi|hello) [A-Z][a-z]{1,6}!");
            check = text -> sentence.matcher(text).matches() ? null : "not a sentence of the grammar";
            description = "grammar " + gbnf;
            field = "\"grammar\":" + Http.JSON.valueToTree(gbnf);
        }
        boolean stream = r.nextInt(4) == 0;
        String sampling = "\"temperature\":1.0,\"top_k\":0,\"top_p\":1,\"min_p\":0,\"seed\":" + seed + ",\"max_tokens\":" + maxTokens
                + ",\"stream\":" + stream + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "");
        String prompt = List.of("Answer:", "JSON", "Label", "Once upon a time").get(r.nextInt(4));
        if (chat && r.nextBoolean()) {
            return new Case(description, "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]," + sampling
                    + "," + field + "}", stream, false, maxTokens, check);
        }
        return new Case(description, "/v1/completions", "{\"prompt\":\"" + prompt + "\"," + sampling + "," + field + "}", stream, false,
                maxTokens, check);
    }

    static Case ollama(String description, String format, int maxTokens, long seed, Function<String, String> check) {
        return new Case(description + " (ollama)", "/api/generate", "{\"prompt\":\"Once upon a time\",\"raw\":true,\"stream\":false,\"format\":"
                + format + ",\"options\":{\"temperature\":1.0,\"top_k\":0,\"top_p\":1,\"min_p\":0,\"seed\":" + seed + ",\"num_predict\":"
                + maxTokens + "}}", false, true, maxTokens, check);
    }

    static JsonNode jackson(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** A random schema of the supported subset, small enough that a random model often finishes it. */
    static ObjectNode schema(Random r, int depth) {
        ObjectNode s = NODES.objectNode();
        int kind = depth == 0 && r.nextBoolean() ? 0 : r.nextInt(depth >= 2 ? 7 : 10);
        switch (kind) {
            case 0, 8 -> {
                s.put("type", "object");
                ObjectNode props = s.putObject("properties");
                ArrayNode required = NODES.arrayNode();
                int n = r.nextInt(depth >= 1 ? 3 : 4);
                for (int i = 0; i < n; i++) {
                    String name = List.of("id", "name", "tags", "ok", "when", "价格", "n").get(r.nextInt(7));
                    if (props.has(name)) continue;
                    props.set(name, schema(r, depth + 1));
                    if (r.nextBoolean()) required.add(name);
                }
                if (!required.isEmpty()) s.set("required", required);
                if (r.nextInt(5) == 0) s.put("additionalProperties", false);
            }
            case 1 -> {
                s.put("type", "string");
                int max = r.nextInt(8);
                s.put("minLength", r.nextInt(max + 1));
                s.put("maxLength", max);
            }
            case 2 -> {
                s.put("type", "string");
                s.put("format", List.of("date", "uuid", "ipv4", "time").get(r.nextInt(4)));
            }
            case 3 -> {
                s.put("type", "integer");
                int lo = r.nextInt(200) - 100;
                if (r.nextBoolean()) s.put("minimum", lo);
                if (r.nextBoolean()) s.put("maximum", lo + 1 + r.nextInt(300));
            }
            case 4 -> {
                s.put("type", "number");
                s.put("minimum", -5.5);
                s.put("exclusiveMaximum", 100);
            }
            case 5 -> {
                ArrayNode values = s.putArray("enum");
                values.add("red").add(3).add(true);
                if (r.nextBoolean()) values.addNull();
            }
            case 6 -> s.put("type", r.nextBoolean() ? "boolean" : "null");
            case 7 -> {
                s.put("type", "array");
                int min = r.nextInt(2);
                s.put("minItems", min);
                s.put("maxItems", min + r.nextInt(3));
                s.set("items", schema(r, depth + 1));
            }
            default -> {
                ArrayNode any = s.putArray("anyOf");
                any.add(schema(r, depth + 1));
                any.add(schema(r, depth + 1));
            }
        }
        return s;
    }
}
