package dev.edgebox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.Http.Reply;
import dev.edgebox.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets a 4xx whose message names the field (never a 500), and the
 * server keeps serving. The server requires an API key, has a small context (64 tokens) and a
 * small body limit (4 KiB).
 */
class BadRequestTest {
    static final String KEY = "sk-edgebox-test-key";
    static final String[] AUTH = {"Authorization", "Bearer " + KEY};
    static EdgeServer server;
    static String chat;

    @BeforeAll
    static void start() {
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("ctx", 64);
        s.put("max-body", "4k");
        s.put("api-keys", List.of(KEY));
        server = TestServers.start(s);
        chat = server.url() + "/v1/chat/completions";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Reply post(String body) {
        return Http.post(chat, body, AUTH);
    }

    /** A 400 whose OpenAI-shaped error names the field. */
    static void assertBad(Reply r, String param, String messagePart) {
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.json().path("error").path("type").asText(), r.body());
        if (param != null) assertEquals(param, r.json().path("error").path("param").asText(), r.body());
        assertTrue(r.error().contains(messagePart), "message '" + r.error() + "' should contain '" + messagePart + "'");
    }

    @Test
    void malformedJson() {
        assertBad(post("{\"messages\": [{\"role\": \"user\", "), null, "request body is not valid JSON");
        assertBad(post("[1, 2]"), null, "request body must be a JSON object, got an array");
        assertBad(post(""), null, "request body is empty");
    }

    @Test
    void wrongTypes() {
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":\"ten\"}"), "max_tokens",
                "'max_tokens' must be an integer, got a string");
        assertBad(post("{\"messages\":\"hi\"}"), "messages", "'messages' must be an array, got a string");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":5}]}"), "messages[0].content",
                "'messages[0].content' must be a string or an array of content parts, got a number");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}"), "temperature",
                "'temperature' must be a number, got a string");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}"), "stream",
                "'stream' must be true or false, got a string");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[1]}"), "stop", "'stop' must hold strings only");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":2}"), "n", "'n' must be 1");
        assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}"),
                "messages[0].content[0].type", "'image_url' is not supported");
    }

    @Test
    void missingOrEmptyMessagesAndUnknownRoles() {
        assertBad(post("{\"model\":\"tiny-qwen2-q8_0\"}"), "messages", "'messages' is required");
        assertBad(post("{\"messages\":[]}"), "messages", "'messages' is empty");
        assertBad(post("{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), "messages[0].role",
                "'messages[0].role' 'wizard' is not a role");
        assertBad(post("{\"messages\":[{\"content\":\"hi\"}]}"), "messages[0].role", "'messages[0].role' is required");
    }

    @Test
    void unknownModel() {
        Reply r = post("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(404, r.status(), r.body());
        assertEquals("model_not_found", r.json().path("error").path("code").asText());
        assertEquals("model", r.json().path("error").path("param").asText());
        assertTrue(r.error().contains("'gpt-4o'"), r.error());
    }

    @Test
    void maxTokensMustBePositive() {
        for (String n : List.of("0", "-5")) {
            assertBad(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":" + n + "}"), "max_tokens",
                    "'max_tokens' must be at least 1, got " + n);
        }
        assertBad(Http.post(server.url() + "/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":0}", AUTH), "max_tokens", "at least 1");
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedNotCut() {
        String longText = "one two three four five six seven eight nine ten ".repeat(20);
        Reply r = post("{\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]}");
        assertBad(r, "messages", "but the context holds 64");
        assertEquals("context_length_exceeded", r.json().path("error").path("code").asText());
        Reply c = Http.post(server.url() + "/v1/completions", "{\"prompt\":\"" + longText + "\"}", AUTH);
        assertBad(c, "prompt", "does not cut");
        Reply e = Http.post(server.url() + "/v1/embeddings", "{\"input\":\"" + longText + "\"}", AUTH);
        assertBad(e, "input", "but the context holds 64");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
        Reply r = post(big);
        assertEquals(413, r.status(), r.body());
        assertTrue(r.error().contains("larger than the limit of 4096 bytes"), r.error());
    }

    @Test
    void invalidUtf8() {
        byte[] head = "{\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xff;
        body[head.length + 1] = (byte) 0xfe;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        Reply r = Http.post(chat, body, AUTH);
        assertBad(r, "messages[0].content", "Invalid UTF-8");
    }

    @Test
    void missingOrWrongApiKeyIs401ButHealthIsOpen() {
        Reply none = Http.post(chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, none.status());
        assertEquals("invalid_api_key", none.json().path("error").path("code").asText());
        assertEquals("Bearer", none.header("WWW-Authenticate"));
        assertEquals(401, Http.post(chat, "{}", "Authorization", "Bearer sk-wrong").status());
        assertEquals(401, Http.post(chat, "{}", "Authorization", "Basic " + KEY).status());
        assertEquals(401, Http.get(server.url() + "/v1/models").status());
        assertEquals(401, Http.get(server.url() + "/api/tags").status());
        assertEquals(401, Http.get(server.url() + "/metrics").status());
        assertEquals(200, Http.get(server.url() + "/health").status());
        assertEquals(200, Http.get(server.url() + "/v1/models", AUTH).status());
    }

    @Test
    void ollamaRoutesAnswerInOllamasShape() {
        Reply r = Http.post(server.url() + "/api/chat", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", AUTH);
        assertEquals(400, r.status());
        assertTrue(r.json().path("error").asText().contains("'messages[0].role' 'wizard' is not a role"), r.body());
        Reply bad = Http.post(server.url() + "/api/generate", "{\"prompt\":", AUTH);
        assertEquals(400, bad.status());
        assertTrue(bad.json().path("error").asText().startsWith("request body is not valid JSON"), bad.body());
        Reply unknown = Http.post(server.url() + "/api/chat", "{\"model\":\"llama3\",\"messages\":[]}", AUTH);
        assertEquals(404, unknown.status());
        Reply options = Http.post(server.url() + "/api/generate", "{\"prompt\":\"hi\",\"options\":{\"num_predict\":\"x\"}}", AUTH);
        assertEquals(400, options.status());
        assertTrue(options.json().path("error").asText().contains("'options.num_predict' must be an integer"), options.body());
    }

    /** A JSON array of n distinct stop strings. */
    static String stops(int n) {
        StringBuilder a = new StringBuilder("[");
        for (int i = 0; i < n; i++) a.append(i == 0 ? "" : ",").append("\"#stop").append(i).append("#\"");
        return a.append("]").toString();
    }

    @Test
    void bothDialectsTakeAtMostSixteenStopStrings() {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertBad(post("{" + messages + ",\"stop\":" + stops(17) + "}"), "stop", "'stop' may hold at most 16 strings, got 17");
        Reply openAi = post("{" + messages + ",\"max_tokens\":2,\"temperature\":0,\"stop\":" + stops(16) + "}");
        assertEquals(200, openAi.status(), openAi.body());

        for (String route : List.of("/api/chat", "/api/generate")) {
            String head = route.equals("/api/chat") ? messages : "\"prompt\":\"hi\"";
            Reply many = Http.post(server.url() + route, "{" + head + ",\"stream\":false,\"options\":{\"stop\":" + stops(17) + "}}", AUTH);
            assertEquals(400, many.status(), many.body());
            assertTrue(many.json().path("error").asText().contains("'options.stop' may hold at most 16 strings, got 17"), many.body());
            for (String stop : List.of(stops(16), "\"#stop#\"")) {
                Reply ok = Http.post(server.url() + route,
                        "{" + head + ",\"stream\":false,\"options\":{\"num_predict\":2,\"temperature\":0,\"stop\":" + stop + "}}", AUTH);
                assertEquals(200, ok.status(), ok.body());
                assertTrue(ok.json().path("done").asBoolean(), ok.body());
            }
        }
    }

    @Test
    void afterAllThatTheServerStillServes() {
        malformedJson();
        invalidUtf8();
        Reply ok = post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,\"temperature\":0}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals("chat.completion", ok.json().path("object").asText());
        String metrics = Http.get(server.url() + "/metrics", AUTH).body();
        assertTrue(metrics.contains("edgebox_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"400\"}"), metrics);
        assertTrue(!metrics.contains("status=\"500\""), metrics);
    }
}
