package dev.edgebox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.TestServers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health while loading, metrics, the access log, clients that hang up, graceful shutdown. */
class OperationsTest {
    static final String LONG_STREAM = "{\"prompt\":\"Keep going\",\"max_tokens\":8000,\"ignore_eos\":true,\"stream\":true}";

    static Map<String, Object> longContext() {
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("parallel", 2);
        s.put("ctx", 8192);
        s.put("max-tokens", 8000);
        return s;
    }

    @Test
    void healthIs503WhileLoadingAnd200WhenReady() {
        try (EdgeServer server = EdgeServer.open(ConfigLoader.from(TestServers.settings(TestServers.QWEN)), TestServers.QUIET)) {
            Http.Reply loading = Http.get(server.url() + "/health");
            assertEquals(503, loading.status());
            assertEquals("loading", loading.json().path("status").asText());
            Http.Reply api = Http.get(server.url() + "/v1/models");
            assertEquals(503, api.status());
            assertEquals("1", api.header("Retry-After"));
            assertEquals(200, Http.get(server.url() + "/metrics").status());
            server.load();
            Http.Reply ready = Http.get(server.url() + "/health");
            assertEquals(200, ready.status());
            assertEquals("ok", ready.json().path("status").asText());
            assertEquals("tiny-qwen2-q8_0", ready.json().path("model").asText());
            assertEquals(200, Http.get(server.url() + "/v1/models").status());
        }
    }

    @Test
    void knowledgeBasesAreServedBesideTheModel(@TempDir Path dir) {
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("kb-dir", dir.toString());
        try (EdgeServer server = TestServers.start(s)) {
            Http.Reply list = Http.get(server.url() + "/v1/kb");
            assertEquals(200, list.status(), list.body());
            Http.Reply missing = Http.post(server.url() + "/v1/kb/nope/query", "{\"query\":\"x\"}");
            assertEquals(404, missing.status(), missing.body());
        }
        s.put("kb-dir", "off");
        try (EdgeServer server = TestServers.start(s)) {
            assertEquals(404, Http.get(server.url() + "/v1/kb").status());
        }
    }

    @Test
    void metricsAndTheAccessLogDescribeEachRequest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.jsonl");
        Map<String, Object> s = TestServers.settings(TestServers.QWEN);
        s.put("access-log", log.toString());
        try (EdgeServer server = TestServers.start(s)) {
            Http.Reply r = Http.post(server.url() + "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5,\"temperature\":0,\"ignore_eos\":true}");
            assertEquals(200, r.status());
            int prompt = r.json().path("usage").path("prompt_tokens").asInt();
            Http.post(server.url() + "/v1/embeddings", "{\"input\":\"hello\"}");
            Http.get(server.url() + "/nowhere");
            String m = Http.get(server.url() + "/metrics").body();
            for (String name : List.of("edgebox_http_requests_total", "edgebox_http_request_duration_seconds", "edgebox_prompt_tokens_total",
                    "edgebox_prompt_cached_tokens_total", "edgebox_generated_tokens_total", "edgebox_embedding_tokens_total",
                    "edgebox_requests_finished_total", "edgebox_requests_rejected_total", "edgebox_time_to_first_token_seconds",
                    "edgebox_decode_tokens_per_second", "edgebox_step_tokens", "edgebox_step_decode_tokens", "edgebox_step_seconds",
                    "edgebox_queue_depth", "edgebox_slots_busy", "edgebox_slots", "process_resident_memory_bytes",
                    "process_virtual_memory_bytes", "edgebox_jvm_heap_used_bytes")) {
                assertTrue(m.contains("# TYPE " + name + " "), "metric " + name + " in\n" + m);
            }
            assertTrue(m.contains("edgebox_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"200\"} 1"), m);
            assertTrue(m.contains("edgebox_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), m);
            assertTrue(m.contains("edgebox_prompt_tokens_total " + prompt + "\n"), m);
            assertTrue(m.contains("edgebox_generated_tokens_total 5\n"), m);
            assertTrue(m.contains("edgebox_time_to_first_token_seconds_count 1\n"), m);
            assertTrue(m.contains("edgebox_requests_finished_total{reason=\"length\"} 1\n"), m);
            assertTrue(m.contains("edgebox_slots 4\n"), m);
            assertTrue(m.lines().anyMatch(l -> l.matches("process_resident_memory_bytes [1-9][0-9]+")), m);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) lines.add(Http.JSON.readTree(line));
        JsonNode chat = lines.stream().filter(l -> l.path("path").asText().equals("/v1/chat/completions")).findFirst().orElseThrow();
        assertEquals("POST", chat.path("method").asText());
        assertEquals(200, chat.path("status").asInt());
        assertTrue(chat.path("request_id").asText().startsWith("chatcmpl-"));
        assertEquals(5, chat.path("completion_tokens").asInt());
        assertEquals("length", chat.path("finish_reason").asText());
        assertTrue(chat.path("ms").asDouble() > 0);
        assertTrue(lines.stream().anyMatch(l -> l.path("status").asInt() == 404 && l.path("path").asText().equals("/nowhere")));
    }

    /** Opens a stream and reads until its first data event. */
    static HttpResponse<InputStream> openStream(String url, String body) throws Exception {
        HttpResponse<InputStream> r = Http.client().send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        return r;
    }

    static List<String> readEvents(BufferedReader in, int atMost) throws Exception {
        List<String> events = new ArrayList<>();
        String line;
        while (events.size() < atMost && (line = in.readLine()) != null) {
            if (line.startsWith("data: ")) events.add(line.substring(6));
        }
        return events;
    }

    @Test
    void aClientThatHangsUpFreesItsSlot() throws Exception {
        try (EdgeServer server = TestServers.start(longContext())) {
            HttpResponse<InputStream> stream = openStream(server.url() + "/v1/completions", LONG_STREAM);
            BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertEquals(1, readEvents(in, 1).size());
            stream.body().close();
            LoadTest.waitFor(server.url(), "edgebox_requests_finished_total{reason=\"cancelled\"} 1");
            String m = Http.get(server.url() + "/metrics").body();
            assertTrue(m.contains("edgebox_slots_busy 0\n"), m);
            assertTrue(LoadTest.value(m, "edgebox_generated_tokens_total") < 8000, "stopped long before its 8000 tokens");
        }
    }

    @Test
    void shutdownLetsAStreamInFlightFinishThenRefusesConnections() throws Exception {
        EdgeServer server = TestServers.start(TestServers.settings(TestServers.QWEN));
        int port = server.port();
        HttpResponse<InputStream> stream = openStream(server.url() + "/v1/completions",
                "{\"prompt\":\"Finish me\",\"max_tokens\":40,\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertEquals(1, readEvents(in, 1).size());
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(120)));
        List<String> rest = readEvents(in, Integer.MAX_VALUE);
        assertEquals("[DONE]", rest.getLast());
        JsonNode usage = Http.JSON.readTree(rest.get(rest.size() - 2)).path("usage");
        assertEquals(40, usage.path("completion_tokens").asInt(), "the request in flight got all its tokens");
        stopping.get();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void shutdownWithoutGraceCancelsButStillEndsTheStreamProperly() throws Exception {
        EdgeServer server = TestServers.start(longContext());
        HttpResponse<InputStream> stream = openStream(server.url() + "/v1/completions", LONG_STREAM);
        BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertEquals(1, readEvents(in, 1).size());
        server.shutdown(Duration.ZERO);
        List<String> rest = readEvents(in, Integer.MAX_VALUE);
        assertFalse(rest.isEmpty());
        assertEquals("[DONE]", rest.getLast());
        JsonNode last = Http.JSON.readTree(rest.get(rest.size() - 2));
        assertEquals("length", last.path("choices").get(0).path("finish_reason").asText());
        assertTrue(rest.size() < 8000);
    }
}
