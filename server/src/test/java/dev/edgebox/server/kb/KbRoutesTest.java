package dev.edgebox.server.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import dev.edgebox.server.http.Json;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.http.WebServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge-base API over real HTTP. */
class KbRoutesTest {
    @TempDir
    Path root;

    private KnowledgeBases bases;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        bases = new KnowledgeBases(root);
        bases.create("manuals", KbConfig.of(HashingEmbedder.ID, HashingEmbedder.DIMENSION, ChunkingOptions.DEFAULT));
        server = WebServer.start(WebServer.LOOPBACK, 0, new KbRoutes(bases).register(new Router()), 4096, t -> { });
    }

    @AfterEach
    void stop() {
        server.close();
        bases.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> upload(byte[] body) throws Exception {
        return send(request("/v1/kb/manuals/documents").header("Content-Type", "multipart/form-data; boundary=B")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static byte[] multipart(String... namesAndTexts) {
        Object[] parts = new Object[namesAndTexts.length / 2 * 3];
        for (int i = 0, j = 0; i < namesAndTexts.length; i += 2) {
            parts[j++] = "file";
            parts[j++] = namesAndTexts[i];
            parts[j++] = namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
        }
        return dev.edgebox.server.http.FormData.body("B", parts);
    }

    @Test
    void uploadListQueryAndDelete() throws Exception {
        assertTrue(server.url().startsWith("http://127.0.0.1:"), "loopback by default");
        HttpResponse<String> up = upload(multipart("safety.md", "# Safety\n\nPress the red button to stop the machine.",
                "维护.txt", "设备每周保养一次。"));
        assertEquals(200, up.statusCode(), up.body());
        JsonNode added = json(up).get("data");
        assertEquals(2, added.size());
        assertEquals("added", added.get(0).get("status").asText());
        assertEquals("safety.md", added.get(0).get("id").asText());
        assertEquals(1, added.get(0).get("chunks").asInt());

        assertEquals("unchanged", json(upload(multipart("safety.md", "# Safety\n\nPress the red button to stop the machine."))).get("data").get(0)
                .get("status").asText());

        JsonNode list = json(send(request("/v1/kb/manuals/documents").GET()));
        assertEquals("list", list.get("object").asText());
        assertEquals(2, list.get("data").size());

        HttpResponse<String> q = send(request("/v1/kb/manuals/query").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"how to stop the machine\",\"top_k\":1,\"mode\":\"hybrid\"}")));
        assertEquals(200, q.statusCode(), q.body());
        JsonNode hit = json(q).get("data").get(0);
        assertEquals("safety.md", hit.get("file").asText());
        assertEquals("Press the red button to stop the machine.", hit.get("text").asText());
        assertEquals("Safety", hit.get("headings").get(0).asText());
        assertTrue(hit.get("score").asDouble() > 0);

        JsonNode one = json(send(request("/v1/kb/manuals/documents/" + URLEncoder.encode("维护.txt", StandardCharsets.UTF_8) + "?chunks=true").GET()));
        assertEquals("设备每周保养一次。", one.get("chunks").get(0).get("text").asText());

        JsonNode deleted = json(send(request("/v1/kb/manuals/documents/safety.md").DELETE()));
        assertTrue(deleted.get("deleted").asBoolean());
        HttpResponse<String> again = send(request("/v1/kb/manuals/documents/safety.md").DELETE());
        assertEquals(404, again.statusCode());
        JsonNode error = json(again).get("error");
        assertEquals("no document 'safety.md' in knowledge base 'manuals'", error.get("message").asText());
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.has("param") && error.has("code"), "OpenAI-shaped error: " + again.body());

        JsonNode kbs = json(send(request("/v1/kb").GET()));
        assertEquals(1, kbs.get("data").get(0).get("documents").asInt());
    }

    @Test
    void clientErrorsAreOpenAiShapedAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> unknown = send(request("/v1/kb/nope/documents").GET());
        assertEquals(404, unknown.statusCode());
        assertEquals("no knowledge base named 'nope'", json(unknown).get("error").get("message").asText());

        HttpResponse<String> badJson = send(request("/v1/kb/manuals/query").POST(HttpRequest.BodyPublishers.ofString("{\"query\":")));
        assertEquals(400, badJson.statusCode());
        assertTrue(json(badJson).get("error").get("message").asText().startsWith("request body is not valid JSON"));

        HttpResponse<String> badK = send(request("/v1/kb/manuals/query").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"x\",\"top_k\":0}")));
        assertEquals(400, badK.statusCode());

        HttpResponse<String> tooBig = upload(multipart("big.txt", "x".repeat(10_000)));
        assertEquals(413, tooBig.statusCode());
        assertEquals("request_too_large", json(tooBig).get("error").get("code").asText());

        HttpResponse<String> unsupported = upload(multipart("tool.exe", "MZ"));
        assertEquals(400, unsupported.statusCode());
        assertTrue(json(unsupported).get("error").get("message").asText().contains("unsupported file type '.exe'"));

        assertEquals(405, send(request("/v1/kb/manuals/query").GET()).statusCode());
        assertEquals(200, send(request("/v1/kb/manuals").GET()).statusCode(), "still serving");
    }
}
