package dev.edgebox.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.grammar.JsonSchemaValidator;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.Http.Reply;
import dev.edgebox.server.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task API end to end over plain JSON, on the tiny Qwen2 model with its ChatML template: the
 * built-ins, a task file, the router, and errors. The model's weights are random, so answers are
 * checked for shape (the grammar's job), never for meaning.
 */
class TaskRoutesTest {
    static final String PERSON = """
            {"type":"object","properties":{"name":{"type":"string","maxLength":16},"age":{"type":"integer","minimum":0,"maximum":150}},
             "required":["name","age"]}""";

    @TempDir
    static Path tasksDir;
    static EdgeServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(tasksDir.resolve("ticket.yaml"), """
                description: Routes a support ticket to a team.
                system: "Pick the team for the ticket. Teams: billing, technical, other."
                template: "Ticket: {{input}}"
                output:
                  schema:
                    type: object
                    properties:
                      team: {enum: [billing, technical, other]}
                      urgent: {type: boolean}
                    required: [team, urgent]
                examples:
                  - input: I was charged twice.
                    output: {team: billing, urgent: true}
                sampling: {temperature: 0, max_tokens: 48}
                route:
                  keywords: [ticket, 工单]
                """);
        Files.writeString(tasksDir.resolve("broken.yaml"), "output: {choices: [yes, no]}\n");
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("tasks-dir", tasksDir.toString());
        server = TestServers.start(s);
        base = server.url();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Reply post(String path, String body) {
        return Http.post(base + path, body);
    }

    static JsonNode ok(Reply r) {
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void listsBuiltInsFilesAndWhatDidNotLoad() {
        JsonNode list = ok(Http.get(base + "/v1/tasks"));
        List<String> names = new ArrayList<>();
        list.path("data").forEach(t -> names.add(t.path("name").asText()));
        assertEquals(List.of("sentiment", "classify", "extract", "summarize", "translate", "chat", "ticket"), names);
        JsonNode sentiment = list.path("data").get(0);
        assertEquals("choices", sentiment.path("output").path("type").asText());
        assertEquals("[\"positive\",\"negative\",\"neutral\"]", sentiment.path("output").path("choices").toString());
        assertEquals("built-in", sentiment.path("source").asText());
        assertEquals("labels", list.path("data").get(1).path("output").path("param").asText());
        assertEquals(1, list.path("errors").size());
        assertTrue(list.path("errors").get(0).asText().contains("broken.yaml: 'output.choices' must be text, got the boolean true"), list.toString());

        JsonNode ticket = ok(Http.get(base + "/v1/tasks/ticket"));
        assertEquals("Ticket: {{input}}", ticket.path("template").asText());
        assertEquals("{\"team\":\"billing\",\"urgent\":true}", ticket.path("examples").get(0).path("output").asText());
        assertEquals(48, ticket.path("sampling").path("max_tokens").asInt());

        Reply missing = Http.get(base + "/v1/tasks/broken");
        assertEquals(404, missing.status());
        assertTrue(missing.error().contains("its file does not load"), missing.body());
    }

    @Test
    void sentimentAnswersOneLabelInEitherLanguage() {
        for (String text : List.of("这家店的菜太好吃了，服务也很周到！", "The screen cracked on the first day.")) {
            JsonNode r = ok(post("/v1/tasks/sentiment", "{\"input\":" + Http.JSON.valueToTree(text) + "}"));
            assertEquals("sentiment", r.path("task").asText());
            assertEquals("stop", r.path("finish_reason").asText());
            assertTrue(List.of("positive", "negative", "neutral").contains(r.path("output").asText()), r.toString());
            assertEquals(r.path("output").asText(), r.path("raw").asText());
            assertTrue(r.path("usage").path("prompt_tokens").asInt() > 50, r.toString()); // system prompt and five examples
            assertEquals(r.path("usage").path("prompt_tokens").asInt() + r.path("usage").path("completion_tokens").asInt(),
                    r.path("usage").path("total_tokens").asInt());
            assertTrue(r.path("latency_ms").asDouble() > 0);
            assertFalse(r.has("error"));
        }
    }

    @Test
    void extractFollowsTheCallsSchema() {
        JsonSchemaValidator validator = new JsonSchemaValidator(PERSON);
        int valid = 0;
        for (int seed = 0; seed < 4; seed++) {
            JsonNode r = ok(post("/v1/tasks/extract", "{\"input\":\"Ada Lovelace was 36.\",\"params\":{\"schema\":" + PERSON
                    + ",\"temperature\":1.0,\"seed\":" + seed + ",\"max_tokens\":64}}"));
            if (r.path("finish_reason").asText().equals("stop")) {
                valid++;
                assertTrue(r.path("output").isObject(), r.toString());
                assertNull(validator.check(r.path("raw").asText()), r.toString());
            } else {
                assertTrue(r.path("output").isNull(), r.toString());
                assertTrue(r.path("error").asText().contains("cut short"), r.toString());
            }
        }
        assertTrue(valid > 0, "some answers finish within 64 tokens");
        // The schema may come as a string of JSON, too.
        JsonNode r = ok(post("/v1/tasks/extract", "{\"input\":\"x\",\"params\":{\"schema\":" + Http.JSON.valueToTree(PERSON) + "}}"));
        assertEquals("extract", r.path("task").asText());
    }

    @Test
    void classifyTakesItsLabelsPerCall() {
        JsonNode r = ok(post("/v1/tasks/classify", "{\"input\":\"My invoice is wrong\",\"params\":{\"labels\":[\"billing\",\"technical\",\"其他\"]}}"));
        assertTrue(List.of("billing", "technical", "其他").contains(r.path("output").asText()), r.toString());
        assertBad(post("/v1/tasks/classify", "{\"input\":\"x\"}"), "params.labels", "is required by task 'classify'");
        assertBad(post("/v1/tasks/classify", "{\"input\":\"x\",\"params\":{\"labels\":\"billing\"}}"), "params.labels", "must be a non-empty array");
    }

    @Test
    void aTaskFileRunsWithItsSchema() {
        JsonNode r = ok(post("/v1/tasks/ticket", "{\"input\":\"The app crashes when I log in.\"}"));
        if (r.path("finish_reason").asText().equals("stop")) {
            assertTrue(List.of("billing", "technical", "other").contains(r.path("output").path("team").asText()), r.toString());
            assertTrue(r.path("output").path("urgent").isBoolean(), r.toString());
        } else {
            assertTrue(r.path("output").isNull());
        }
    }

    @Test
    void routerUsesRulesFirstThenTheModel() {
        JsonNode d = ok(post("/v1/route", "{\"input\":\"Please translate this summary into French: the meeting moved to Monday.\"}"));
        assertEquals("translate", d.path("task").asText()); // both match; "translate" comes first
        assertEquals("rules", d.path("stage").asText());
        assertEquals("keyword 'translate'", d.path("matched").asText());

        d = ok(post("/v1/route", "{\"input\":\"帮我总结一下这篇文章\"}"));
        assertEquals("summarize", d.path("task").asText());

        d = ok(post("/v1/route", "{\"input\":\"The weather in Lisbon is lovely today.\"}"));
        assertEquals("model", d.path("stage").asText());
        assertEquals(d.path("task").asText(), d.path("raw").asText());
        // Without labels or a schema, classify and extract cannot run, so they are no candidates.
        assertEquals("[\"sentiment\",\"summarize\",\"translate\",\"chat\",\"ticket\"]", d.path("candidates").toString());

        d = ok(post("/v1/route", "{\"input\":\"Is this good?\",\"params\":{\"labels\":[\"a\",\"b\"]}}"));
        assertEquals("classify", d.path("task").asText());
        assertEquals("only_candidate", d.path("stage").asText());

        JsonNode r = ok(post("/v1/tasks/auto", "{\"input\":\"Open a ticket: the printer is on fire\"}"));
        assertEquals("ticket", r.path("task").asText());
        assertEquals("ticket", r.path("route").path("task").asText());
        assertEquals("keyword 'ticket'", r.path("route").path("matched").asText());
        r = ok(post("/v1/tasks", "{\"task\":\"auto\",\"input\":\"Sentiment please: I love it\"}"));
        assertEquals("sentiment", r.path("task").asText());
    }

    @Test
    void errorsNameTheField() {
        Reply r = post("/v1/tasks/nope", "{\"input\":\"x\"}");
        assertEquals(404, r.status());
        assertEquals("task_not_found", r.json().path("error").path("code").asText());
        assertTrue(r.error().contains("no task 'nope'; tasks: sentiment, classify"), r.body());
        assertBad(post("/v1/tasks/sentiment", "{}"), "input", "is required");
        assertBad(post("/v1/tasks/sentiment", "{\"input\":\"  \"}"), "input", "is empty");
        assertBad(post("/v1/tasks/sentiment", "{\"input\":\"x\",\"params\":{\"labels\":[\"a\"]}}"), "params.labels",
                "is not a parameter of task 'sentiment'");
        assertBad(post("/v1/tasks/summarize", "{\"input\":\"x\",\"params\":{\"temperature\":7}}"), "params.temperature", "between 0 and 2");
        assertBad(post("/v1/tasks/summarize", "{\"input\":\"x\",\"params\":{\"max_tokens\":1.5}}"), "params.max_tokens", "must be an integer");
        Reply bad = post("/v1/tasks/extract", "{\"input\":\"x\",\"params\":{\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"a\":{\"type\":\"string\",\"format\":\"hostname\"}}}}}");
        assertBad(bad, "params.schema.properties.a.format", "'format'");
        assertEquals("unsupported_schema_keyword", bad.json().path("error").path("code").asText());
        assertBad(post("/v1/tasks/sentiment", "{\"input\":\"" + "word ".repeat(3000) + "\"}"), "input", "context");
    }

    @Test
    void aTextTaskTakesItsVariables() {
        JsonNode r = ok(post("/v1/tasks/translate", "{\"input\":\"你好\",\"params\":{\"target\":\"French\",\"max_tokens\":5,\"seed\":1}}"));
        assertEquals("translate", r.path("task").asText());
        assertTrue(r.path("output").isTextual());
        assertTrue(r.path("usage").path("completion_tokens").asInt() <= 5);
        assertEquals(r.path("raw"), r.path("output"));
    }

    static void assertBad(Reply r, String param, String messagePart) {
        assertEquals(400, r.status(), r.body());
        assertEquals(param, r.json().path("error").path("param").asText(), r.body());
        assertTrue(r.error().contains(messagePart), r.error());
    }
}
