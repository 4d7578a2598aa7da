package dev.edgebox.server.lora;

import static dev.edgebox.server.lora.AdapterClient.completion;
import static dev.edgebox.server.lora.AdapterClient.lora;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.lora.LoraTestModels.Use;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA adapters over HTTP on a tiny generated model: requests on different adapters at once each
 * get exactly their solo answer; adapters are added, replaced, rolled back and removed while
 * streams run, and every stream finishes on the versions it started with; bad adapters and bad
 * names get clear 4xx answers and the server keeps serving.
 */
class LoraHttpTest {
    static final String PROMPT = "Tell me about adapters.";
    static final String BASE = "lora-http";

    @TempDir
    static Path tmp;
    static Path model;
    static ModelConfig config;

    @BeforeAll
    static void fixtures() throws Exception {
        model = LoraTestModels.model(tmp, LoraTestModels.BASE);
        config = LoraTestModels.config(model);
    }

    static EdgeServer start(Map<String, Object> settings) {
        return EdgeServer.start(ConfigLoader.from(settings), TestServers.QUIET);
    }

    /** Writes an adapter into the adapter directory under incoming/NAME, where the API may load it from. */
    static Path incoming(Path adapterDir, String name, long seed) throws Exception {
        return LoraTestModels.adapter(adapterDir.resolve("incoming").resolve(name), config, seed);
    }

    @Test
    void baseAndThreeAdaptersAtOnceEachGetTheirSoloAnswer(@TempDir Path adapterDir) throws Exception {
        Path a = incoming(adapterDir, "a", 11), b = incoming(adapterDir, "b", 12), c = incoming(adapterDir, "c", 13);
        int n = 16;
        record Case(String what, Supplier<String> request, String expected) {}
        try (EdgeServer server = start(LoraTestModels.settings(model, adapterDir)); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AdapterClient api = new AdapterClient(server.url());
            for (String name : List.of("a", "b", "c")) assertEquals(201, api.addAdapter(name, "incoming/" + name).status());

            List<String> ids = new ArrayList<>();
            api.get("/v1/models").json().path("data").forEach(m -> ids.add(m.path("id").asText()));
            assertEquals(List.of(BASE, BASE + ":a", BASE + ":b", BASE + ":c"), ids);
            List<String> tags = new ArrayList<>();
            api.get("/api/tags").json().path("models").forEach(m -> tags.add(m.path("name").asText()));
            assertEquals(List.of(BASE + ":latest", BASE + ":a", BASE + ":b", BASE + ":c"), tags);

            Http.Reply one = api.post("/v1/completions", completion(PROMPT, n, "model", BASE + ":a"));
            assertEquals(200, one.status(), one.body());
            assertEquals("a@1", one.header("X-Edgebox-Adapters"));
            assertEquals(BASE + ":a", one.json().path("model").asText());

            List<Case> cases = List.of(
                    new Case("base", () -> text(api, completion(PROMPT, n, "model", BASE)), LoraTestModels.solo(model, PROMPT, n)),
                    new Case("base:a", () -> text(api, completion(PROMPT, n, "model", BASE + ":a")), LoraTestModels.solo(model, PROMPT, n, a)),
                    new Case("b by name", () -> text(api, completion(PROMPT, n, "model", "b")), LoraTestModels.solo(model, PROMPT, n, b)),
                    new Case("lora c", () -> text(api, completion(PROMPT, n, "lora", lora("c", 1))), LoraTestModels.solo(model, PROMPT, n, c)),
                    new Case("a 0.5 + c", () -> text(api, completion(PROMPT, n, "lora", lora("a", 0.5, "c", 1))),
                            LoraTestModels.solo(model, PROMPT, n, List.of(new Use(a, 0.5f), new Use(c, 1f)))),
                    new Case("stream base:b", () -> api.stream(completion(PROMPT, n, "model", BASE + ":b")).text(),
                            LoraTestModels.solo(model, PROMPT, n, b)),
                    new Case("ollama base:c", () -> api.ollamaStream(BASE + ":c", PROMPT, n).text(),
                            LoraTestModels.solo(model, PROMPT, n, false, List.of(new Use(c, 1f)))),
                    new Case("stream base", () -> api.stream(completion(PROMPT, n)).text(), LoraTestModels.solo(model, PROMPT, n)));
            assertEquals(5, new HashSet<>(cases.stream().map(Case::expected).toList()).size(),
                    "base, a, b, c and a/2+c must answer differently for this test to mean anything");

            // Two rounds of all eight at once on four slots: batches mix the base and every adapter, and slots pass between them.
            List<Future<String>> answers = new ArrayList<>();
            for (int round = 0; round < 2; round++) for (Case k : cases) answers.add(pool.submit(k.request()::get));
            for (int i = 0; i < answers.size(); i++) {
                Case k = cases.get(i % cases.size());
                assertEquals(k.expected(), answers.get(i).get(), k.what());
            }
            String metrics = api.get("/metrics").body();
            assertTrue(metrics.contains("edgebox_lora_adapters 3"), metrics);
            assertTrue(metrics.contains("edgebox_lora_requests_total{adapter=\"a\"} 5"), metrics);
        }
    }

    static String text(AdapterClient api, Map<String, Object> body) {
        Http.Reply r = api.post("/v1/completions", body);
        assertEquals(200, r.status(), r.body());
        return r.json().path("choices").path(0).path("text").asText();
    }

    @Test
    void addReplaceRollbackAndRemoveWhileEightStreamsRun(@TempDir Path adapterDir) throws Exception {
        Map<String, Path> sources = new HashMap<>(); // version -> the files it was made from
        sources.put("a@1", incoming(adapterDir, "a1", 21));
        sources.put("a@2", incoming(adapterDir, "a2", 22));
        sources.put("a@3", incoming(adapterDir, "a3", 23));
        sources.put("b@1", incoming(adapterDir, "b1", 24));
        sources.put("b@2", incoming(adapterDir, "b2", 25));
        int n = 48;
        Map<String, Object> settings = LoraTestModels.settings(model, adapterDir);
        settings.put("parallel", 4); // eight streams on four slots: some wait in the queue, holding their versions there
        try (EdgeServer server = start(settings); ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            AdapterClient api = new AdapterClient(server.url());
            assertEquals(201, api.addAdapter("a", "incoming/a1").status());
            assertEquals(201, api.addAdapter("b", "incoming/b1").status());

            List<AdapterClient.Stream> streams = new ArrayList<>();
            List<String> wantVersions = new ArrayList<>();
            List<Integer> heldWhenChanged = new ArrayList<>();
            // Each step starts a stream (the server has pinned its versions once its headers are here) or changes the adapters.
            streams.add(api.stream(completion(PROMPT, n, "model", "a")));
            wantVersions.add("a@1");
            streams.add(api.stream(completion(PROMPT, n, "model", BASE + ":b")));
            wantVersions.add("b@1");
            heldWhenChanged.add(inFlight(api, "a"));
            assertEquals(2, api.addAdapter("a", "incoming/a2").json().path("version").asInt()); // replace: a@2
            streams.add(api.stream(completion(PROMPT, n, "model", "a")));
            wantVersions.add("a@2");
            streams.add(api.stream(completion(PROMPT, n, "lora", lora("a", 1, "b", 0.5))));
            wantVersions.add("a@2,b@1");
            heldWhenChanged.add(inFlight(api, "b"));
            assertEquals(2, api.addAdapter("b", "incoming/b2").json().path("version").asInt()); // replace: b@2
            streams.add(api.stream(completion(PROMPT, n, "lora", lora("b", 1))));
            wantVersions.add("b@2");
            heldWhenChanged.add(inFlight(api, "a"));
            Http.Reply back = api.post("/v1/adapters/a/rollback", Map.of());
            assertEquals(200, back.status(), back.body());
            assertEquals(1, back.json().path("version").asInt()); // a@1 current again
            streams.add(api.stream(completion(PROMPT, n, "model", BASE + ":a")));
            wantVersions.add("a@1");
            heldWhenChanged.add(inFlight(api, "a"));
            assertEquals(3, api.addAdapter("a", "incoming/a3").json().path("version").asInt()); // a@3 (v2 stays on disk)
            streams.add(api.ollamaStream(BASE + ":a", PROMPT, n));
            wantVersions.add("a@3");
            heldWhenChanged.add(inFlight(api, "b"));
            assertEquals(200, api.delete("/v1/adapters/b").status()); // streams on b@1 and b@2 go on
            streams.add(api.stream(completion(PROMPT, n)));
            wantVersions.add("");
            Http.Reply gone = api.post("/v1/completions", completion(PROMPT, 4, "model", BASE + ":b"));
            assertEquals(404, gone.status(), gone.body());

            List<Future<String>> texts = new ArrayList<>();
            for (AdapterClient.Stream s : streams) texts.add(readers.submit(s::text));
            Map<String, String> alone = new HashMap<>();
            for (int i = 0; i < streams.size(); i++) {
                AdapterClient.Stream s = streams.get(i);
                assertEquals(wantVersions.get(i), s.adapters(), "stream " + i + " versions");
                List<Use> uses = new ArrayList<>();
                String[] versions = s.adapters().isEmpty() ? new String[0] : s.adapters().split(",");
                for (String v : versions) uses.add(new Use(sources.get(v), v.startsWith("b") && versions.length == 2 ? 0.5f : 1f));
                String expected = LoraTestModels.solo(model, PROMPT, n, !s.ollama(), uses);
                alone.put(s.adapters() + (s.ollama() ? " (ollama)" : ""), expected);
                assertEquals(expected, texts.get(i).get(), "stream " + i + " on " + s.adapters() + " differs from its solo answer");
            }
            assertEquals(alone.size(), new HashSet<>(alone.values()).size(), "every version must answer differently: " + alone);

            // Every stream has ended: only a@3 is left in memory, and nothing holds it.
            JsonNode list = api.get("/v1/adapters").json();
            assertEquals(1, list.path("data").size(), list.toString());
            JsonNode a = list.path("data").path(0);
            assertEquals("a", a.path("name").asText());
            assertEquals(3, a.path("version").asInt());
            assertEquals(List.of(1, 2, 3), ints(a.path("versions")));
            assertEquals(0, a.path("in_flight").asInt());
            assertEquals(1, list.path("resident_count").asInt());
            assertEquals(a.path("bytes").asLong(), list.path("resident_bytes").asLong());
            assertTrue(api.get("/metrics").body().contains("edgebox_lora_adapters 1"));
            // How many requests held the adapter at each change (for the log; scheduling, not the test, decides these).
            System.out.println("LoraHttpTest: requests holding the adapter at each change: " + heldWhenChanged);
        }
    }

    static int inFlight(AdapterClient api, String name) {
        return api.get("/v1/adapters/" + name).json().path("in_flight").asInt();
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    @Test
    void badAdaptersAndUnknownNamesGetClear4xxAndTheServerKeepsServing(@TempDir Path adapterDir) throws Exception {
        incoming(adapterDir, "good", 31);
        // An adapter for another base model (other widths).
        Path other = LoraTestModels.model(tmp.resolve("other-" + System.nanoTime()), LoraTestModels.OTHER);
        LoraTestModels.adapter(adapterDir.resolve("incoming/other"), LoraTestModels.config(other), 32);
        // A PEFT directory whose safetensors header is broken.
        Path corrupt = Files.createDirectories(adapterDir.resolve("incoming/corrupt"));
        Files.copy(adapterDir.resolve("incoming/good/adapter_config.json"), corrupt.resolve("adapter_config.json"));
        byte[] broken = Files.readAllBytes(adapterDir.resolve("incoming/good/adapter_model.safetensors"));
        broken[0] = (byte) 0xff;
        broken[7] = 0x7f; // a header length far beyond the file
        Files.write(corrupt.resolve("adapter_model.safetensors"), broken);
        // A valid adapter outside the directory, and a link to it from inside.
        Path outside = LoraTestModels.adapter(tmp.resolve("outside-" + System.nanoTime()), config, 33);
        Files.createSymbolicLink(adapterDir.resolve("incoming/link"), outside);

        Map<String, Object> settings = LoraTestModels.settings(model, adapterDir);
        settings.put("api-keys", List.of("sesame"));
        try (EdgeServer server = start(settings)) {
            AdapterClient api = new AdapterClient(server.url(), "Authorization", "Bearer sesame");
            AdapterClient anonymous = new AdapterClient(server.url());
            assertEquals(401, anonymous.get("/v1/adapters").status());
            assertEquals(401, anonymous.addAdapter("good", "incoming/good").status());
            assertEquals(201, api.addAdapter("good", "incoming/good").status());
            String good = text(api, completion(PROMPT, 8, "model", BASE + ":good"));

            expect(api.addAdapter("other", "incoming/other"), 400, "for another base model");
            expect(api.addAdapter("corrupt", "incoming/corrupt"), 400, "is not a valid safetensors file");
            expect(api.addAdapter("escape", "../" + outside.getFileName()), 403, "outside the adapter directory");
            expect(api.addAdapter("escape", outside.toString()), 403, "outside the adapter directory");
            expect(api.addAdapter("escape", "incoming/link"), 403, "outside the adapter directory");
            expect(api.addAdapter("escape", "incoming/../../" + outside.getFileName()), 403, "outside the adapter directory");
            expect(api.addAdapter("../good", "incoming/good"), 400, "is not a valid adapter name");
            expect(api.addAdapter("missing", "incoming/missing"), 400, "does not exist");
            expect(api.post("/v1/adapters", Map.of("name", "ghost")), 404, "adapter 'ghost' is not served here");
            expect(api.delete("/v1/adapters/ghost"), 404, "adapter 'ghost' is not served here");
            expect(api.post("/v1/adapters/good/rollback", Map.of()), 409, "has no version before v1");
            // Nothing was stored for what was refused.
            assertEquals(List.of("good"), names(api.get("/v1/adapters").json()));

            Http.Reply r = expect(api.post("/v1/completions", completion(PROMPT, 4, "model", BASE + ":nope")), 404, "'" + BASE + ":nope'");
            assertEquals("model_not_found", r.json().path("error").path("code").asText());
            assertTrue(r.error().contains(BASE + ":good"), "the message lists what is served: " + r.error());
            expect(api.post("/v1/chat/completions", Map.of("model", "nope", "messages", List.of(Map.of("role", "user", "content", "hi")))), 404,
                    "model 'nope' is not served here");
            r = expect(api.post("/v1/completions", completion(PROMPT, 4, "lora", lora("nope", 1))), 404, "adapter 'nope' is not served here");
            assertEquals("adapter_not_found", r.json().path("error").path("code").asText());
            assertEquals("lora[0]", r.json().path("error").path("param").asText());
            expect(api.post("/v1/completions", completion(PROMPT, 4, "lora", List.of(Map.of("id", 0)))), 400, "name the adapter");
            expect(api.post("/v1/completions", completion(PROMPT, 4, "lora", lora("good", 1, "good", 0.5))), 400, "twice");
            Http.Reply ollama = api.post("/api/generate", Map.of("model", BASE + ":nope", "prompt", "hi", "stream", false));
            assertEquals(404, ollama.status(), ollama.body());
            assertTrue(ollama.json().path("error").asText().contains("model '" + BASE + ":nope' not found"), ollama.body());

            // Still serving, the base and the adapter, with the same answers as before.
            assertEquals(LoraTestModels.solo(model, PROMPT, 8), text(api, completion(PROMPT, 8)));
            assertEquals(good, text(api, completion(PROMPT, 8, "model", BASE + ":good")));
            Http.Reply chat = api.post("/api/chat", Map.of("model", BASE + ":good", "stream", false, "options", Map.of("num_predict", 4),
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            assertEquals(200, chat.status(), chat.body());
            assertEquals(BASE + ":good", chat.json().path("model").asText());
        }
    }

    static Http.Reply expect(Http.Reply r, int status, String messagePart) {
        assertEquals(status, r.status(), r.body());
        String message = r.json().path("error").isTextual() ? r.json().path("error").asText() : r.error();
        assertTrue(message.contains(messagePart), "expected '" + messagePart + "' in: " + message);
        return r;
    }

    static List<String> names(JsonNode listing) {
        List<String> out = new ArrayList<>();
        listing.path("data").forEach(a -> out.add(a.path("name").asText()));
        return out;
    }

    @Test
    void adaptersGivenAtStartUpServeWithTheirDefaultScale(@TempDir Path adapterDir) throws Exception {
        Path s = LoraTestModels.adapter(tmp.resolve("startup-" + System.nanoTime()), config, 41);
        Map<String, Object> settings = LoraTestModels.settings(model, "off");
        settings.put("lora", List.of("style=" + s + ":0.5"));
        try (EdgeServer server = start(settings)) {
            AdapterClient api = new AdapterClient(server.url());
            assertEquals(LoraTestModels.solo(model, PROMPT, 8, List.of(new Use(s, 0.5f))), text(api, completion(PROMPT, 8, "model", "style")));
            assertEquals(LoraTestModels.solo(model, PROMPT, 8, List.of(new Use(s, 1f))), text(api, completion(PROMPT, 8, "lora", lora("style", 1))));
            JsonNode card = api.get("/v1/adapters/style").json();
            assertEquals(0.5, card.path("default_scale").asDouble());
            assertTrue(card.path("from_path").asBoolean());
            // No adapter directory: nothing can be added over HTTP.
            expect(api.addAdapter("x", "incoming/x"), 403, "adapter-dir off");
        }
        Map<String, Object> missing = LoraTestModels.settings(model, adapterDir);
        missing.put("lora", List.of("nothing-here"));
        try {
            start(missing).close();
            throw new AssertionError("a server with a missing adapter must not start");
        } catch (dev.edgebox.engine.EngineException e) {
            assertTrue(e.getMessage().contains("'nothing-here' is neither a path"), e.getMessage());
        }
    }
}
