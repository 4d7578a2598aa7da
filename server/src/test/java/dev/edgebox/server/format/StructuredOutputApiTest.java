package dev.edgebox.server.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.grammar.JsonSchemaValidator;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.Http.Reply;
import dev.edgebox.server.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structured output over both dialects, on the tiny Qwen2 model (random weights, so only the
 * grammar makes its answers well-formed): response_format json_object and json_schema, the guided_*
 * fields and GBNF, Ollama's format; refusals that name the keyword; stop strings that cut an answer.
 */
class StructuredOutputApiTest {
    static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":120},
             "tags":{"type":"array","items":{"enum":["a","b","c"]},"maxItems":3}},"required":["name","age"]}""";
    static EdgeServer server;
    static String chat, completions, generate, ollamaChat;

    @BeforeAll
    static void start() {
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("max-tokens", 96);
        server = TestServers.start(s);
        chat = server.url() + "/v1/chat/completions";
        completions = server.url() + "/v1/completions";
        generate = server.url() + "/api/generate";
        ollamaChat = server.url() + "/api/chat";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String chatBody(String extra, int seed) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"Describe a person.\"}],\"temperature\":1.0,\"top_k\":0,\"top_p\":1,"
                + "\"min_p\":0,\"seed\":" + seed + "," + extra + "}";
    }

    static JsonNode choice(Reply r) {
        assertEquals(200, r.status(), r.body());
        return r.json().path("choices").get(0);
    }

    @Test
    void jsonSchemaAnswersValidateOrSayLength() {
        JsonSchemaValidator validator = new JsonSchemaValidator(SCHEMA);
        int stopped = 0;
        for (int seed = 1; seed <= 8; seed++) {
            JsonNode c = choice(Http.post(chat, chatBody("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\","
                    + "\"strict\":true,\"schema\":" + SCHEMA + "}}", seed)));
            String content = c.path("message").path("content").asText();
            if (c.path("finish_reason").asText().equals("stop")) {
                stopped++;
                assertNull(validator.check(content), content);
                JsonNode parsed = json(content); // Jackson reads it too
                assertTrue(parsed.path("age").isInt(), content);
            } else {
                assertEquals("length", c.path("finish_reason").asText());
            }
        }
        assertTrue(stopped >= 4, "most answers finish within 96 tokens: " + stopped);
    }

    @Test
    void jsonObjectChoiceRegexAndGrammar() {
        JsonNode obj = choice(Http.post(chat, chatBody("\"max_tokens\":200,\"response_format\":{\"type\":\"json_object\"}", 3)));
        if (obj.path("finish_reason").asText().equals("stop")) assertTrue(json(obj.path("message").path("content").asText()).isObject());

        for (int seed = 1; seed <= 5; seed++) {
            JsonNode c = choice(Http.post(chat, chatBody("\"guided_choice\":[\"positive\",\"negative\",\"中性\"]", seed)));
            assertEquals("stop", c.path("finish_reason").asText());
            assertTrue(List.of("positive", "negative", "中性").contains(c.path("message").path("content").asText()), c.toString());

            String regex = "[A-Z]{2}-\\d{3}";
            c = choice(Http.post(completions, "{\"prompt\":\"Code:\",\"temperature\":1.0,\"seed\":" + seed + ",\"guided_regex\":\""
                    + regex.replace("\\", "\\\\") + "\"}"));
            assertEquals("stop", c.path("finish_reason").asText());
            assertTrue(Pattern.matches(regex, c.path("text").asText()), c.toString());

            c = choice(Http.post(completions, "{\"prompt\":\"Yes or no?\",\"temperature\":1.0,\"seed\":" + seed
                    + ",\"grammar\":\"root ::= (\\\"yes\\\" | \\\"no\\\") \\\"!\\\"{1,3}\"}"));
            assertEquals("stop", c.path("finish_reason").asText());
            assertTrue(c.path("text").asText().matches("(yes|no)!{1,3}"), c.toString());
        }
    }

    @Test
    void streamedAnswerIsTheCheckedText() {
        Reply r = Http.post(chat, chatBody("\"stream\":true,\"guided_regex\":\"(ab|cd){2,4}\"", 7));
        assertEquals(200, r.status(), r.body());
        StringBuilder text = new StringBuilder();
        List<String> finish = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode ch = json(line.substring(6)).path("choices").get(0);
            if (ch.path("delta").has("content")) text.append(ch.path("delta").path("content").asText());
            if (!ch.path("finish_reason").isNull()) finish.add(ch.path("finish_reason").asText());
        }
        assertEquals(List.of("stop"), finish);
        assertTrue(text.toString().matches("(ab|cd){2,4}"), text.toString());
    }

    @Test
    void ollamaFormatJsonAndSchema() {
        JsonSchemaValidator validator = new JsonSchemaValidator(SCHEMA);
        for (int seed = 1; seed <= 3; seed++) {
            Reply r = Http.post(generate, "{\"prompt\":\"A person as JSON:\",\"stream\":false,\"format\":" + SCHEMA
                    + ",\"options\":{\"temperature\":1.0,\"seed\":" + seed + ",\"num_predict\":96}}");
            assertEquals(200, r.status(), r.body());
            if (r.json().path("done_reason").asText().equals("stop")) assertNull(validator.check(r.json().path("response").asText()), r.body());
            else assertEquals("length", r.json().path("done_reason").asText());

            r = Http.post(ollamaChat, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,\"format\":\"json\","
                    + "\"options\":{\"temperature\":1.0,\"seed\":" + seed + ",\"num_predict\":200}}");
            assertEquals(200, r.status(), r.body());
            if (r.json().path("done_reason").asText().equals("stop")) {
                assertTrue(json(r.json().path("message").path("content").asText()).isObject(), r.body());
            }
        }
        // Streamed: the pieces add up to a checked answer; the last line says how it ended.
        Reply r = Http.post(generate, "{\"prompt\":\"x\",\"format\":{\"enum\":[\"red\",\"green\"]},\"options\":{\"seed\":2}}");
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String line : r.body().split("\n")) {
            last = json(line);
            text.append(last.path("response").asText());
        }
        assertEquals("stop", last.path("done_reason").asText());
        assertTrue(List.of("\"red\"", "\"green\"").contains(text.toString()), text.toString());
    }

    @Test
    void unsupportedKeywordsAreRefusedByName() {
        Reply r = Http.post(chat, chatBody("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"object\",\"patternProperties\":{\"^a\":{}}}}}}}", 1));
        assertEquals(400, r.status(), r.body());
        JsonNode e = r.json().path("error");
        assertEquals("response_format.json_schema.schema.properties.tags.patternProperties", e.path("param").asText(), r.body());
        assertEquals("unsupported_schema_keyword", e.path("code").asText());
        assertTrue(e.path("message").asText().contains("'patternProperties'"), r.body());

        r = Http.post(chat, chatBody("\"guided_json\":{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"multipleOf\":3}}", 1));
        assertEquals("guided_json.items.multipleOf", r.json().path("error").path("param").asText(), r.body());

        r = Http.post(chat, chatBody("\"guided_json\":{\"type\":\"string\",\"maxlength\":3}", 1));
        assertEquals(400, r.status());
        assertTrue(r.error().contains("'maxlength'") && r.error().contains("unknown keyword"), r.body());

        r = Http.post(generate, "{\"prompt\":\"x\",\"stream\":false,\"format\":{\"type\":\"object\",\"if\":{}}}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().path("error").asText().contains("'if'"), r.body());
    }

    @Test
    void badFormatRequestsNameTheField() {
        assertBad(Http.post(chat, chatBody("\"response_format\":{\"type\":\"xml\"}", 1)), "response_format.type", "must be text, json_object or json_schema");
        assertBad(Http.post(chat, chatBody("\"response_format\":{\"type\":\"json_schema\"}", 1)), "response_format.json_schema", "is required");
        assertBad(Http.post(chat, chatBody("\"guided_choice\":[]", 1)), "guided_choice", "is empty");
        assertBad(Http.post(chat, chatBody("\"guided_choice\":[\"a\",2]", 1)), "guided_choice", "must hold strings");
        assertBad(Http.post(chat, chatBody("\"guided_regex\":\"(?i)abc\"", 1)), "guided_regex", "column");
        assertBad(Http.post(chat, chatBody("\"grammar\":\"root ::= foo\"", 1)), "grammar", "foo");
        assertBad(Http.post(chat, chatBody("\"guided_json\":\"{not json\"", 1)), "guided_json", "not valid JSON");
        assertBad(Http.post(chat, chatBody("\"guided_regex\":\"a+\",\"guided_choice\":[\"a\"]", 1)), "guided_regex", "cannot be combined with 'guided_choice'");
        Reply r = Http.post(generate, "{\"prompt\":\"x\",\"format\":\"yaml\"}");
        assertEquals(400, r.status());
        assertTrue(r.json().path("error").asText().contains("'format' must be \"json\" or a JSON Schema"), r.body());
        // A text response_format is no format at all.
        assertEquals(200, Http.post(chat, chatBody("\"max_tokens\":2,\"response_format\":{\"type\":\"text\"}", 1)).status());
    }

    static void assertBad(Reply r, String param, String messagePart) {
        assertEquals(400, r.status(), r.body());
        assertEquals(param, r.json().path("error").path("param").asText(), r.body());
        assertTrue(r.error().contains(messagePart), r.error());
    }

    @Test
    void aStopStringThatCutsTheAnswerMakesItLength() {
        // The grammar forces "yes please"; the stop string cuts it to "yes", which is not an answer.
        JsonNode c = choice(Http.post(chat, chatBody("\"guided_choice\":[\"yes please\"],\"stop\":[\" please\"]", 1)));
        assertEquals("yes", c.path("message").path("content").asText());
        assertEquals("length", c.path("finish_reason").asText());
        // Cut after a complete answer: "yes" is one of the choices, so it stands.
        c = choice(Http.post(chat, chatBody("\"guided_choice\":[\"yes please\",\"yes\"],\"guided_regex\":null,\"stop\":[\" please\"],"
                + "\"temperature\":0", 1)));
        String text = c.path("message").path("content").asText();
        assertEquals("yes", text);
        assertEquals("stop", c.path("finish_reason").asText());
        // Ollama says it the same way.
        Reply r = Http.post(generate, "{\"prompt\":\"x\",\"stream\":false,\"format\":{\"const\":\"abc\"},\"options\":{\"stop\":[\"b\"]}}");
        assertEquals("\"a", r.json().path("response").asText());
        assertEquals("length", r.json().path("done_reason").asText());
    }

    @Test
    void grammarTimeIsInTheMetrics() {
        choice(Http.post(chat, chatBody("\"guided_choice\":[\"alpha\",\"beta\"]", 4)));
        String metrics = Http.get(server.url() + "/metrics").body();
        double tokens = metric(metrics, "edgebox_grammar_tokens");
        assertTrue(tokens >= 1, metrics);
        assertTrue(metric(metrics, "edgebox_grammar_seconds") > 0, metrics);
    }

    static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static double metric(String scrape, String name) {
        for (String line : scrape.split("\n")) if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        throw new AssertionError(name + " not in metrics");
    }
}
