package dev.edgebox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.TestServers;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.models.generate.OllamaGenerateRequest;
import io.github.ollama4j.models.generate.OllamaGenerateStreamObserver;
import io.github.ollama4j.models.request.ThinkMode;
import io.github.ollama4j.utils.OptionsBuilder;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many clients at once, and the full-queue path. */
class LoadTest {
    static final String[] PROMPTS = {
        "Once upon a time, there was a little girl named Lily.",
        "Tom had a big red ball. One day,",
        "The sun was hot and the dog wanted to",
        "Mom said to Ben: \"Let's go to the park\"",
    };

    @Test
    void sixteenClientsTimesFiveStreamingRequestsAllGetTheirOwnCorrectAnswer() throws Exception {
        Map<String, Object> settings = TestServers.settings(TestServers.STORIES);
        settings.put("parallel", 4);
        settings.put("queue-size", 64);
        String[] expected = new String[PROMPTS.length];
        for (int i = 0; i < PROMPTS.length; i++) expected[i] = TestServers.greedyText(settings, PROMPTS[i], 24).text();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        try (EdgeServer server = TestServers.start(settings); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1").apiKey("unused").maxRetries(0)
                    .timeout(Duration.ofSeconds(300)).build();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    Ollama ollama = new Ollama(server.url());
                    ollama.setRequestTimeoutSeconds(300);
                    for (int r = 0; r < 5; r++) {
                        int p = (client + r) % PROMPTS.length;
                        String got;
                        try {
                            // Half the clients speak OpenAI, half Ollama; all stream.
                            got = client % 2 == 0 ? openAiStream(openai, PROMPTS[p]) : ollamaStream(ollama, PROMPTS[p]);
                        } catch (Exception e) {
                            problems.add("client " + client + " request " + r + ": " + e);
                            continue;
                        }
                        if (!got.equals(expected[p])) problems.add("client " + client + " request " + r + ": got '" + got + "', expected '" + expected[p] + "'");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            String metrics = Http.get(server.url() + "/metrics").body();
            assertTrue(metrics.contains("edgebox_requests_finished_total{reason=\"length\"} 80"), metrics);
            // Continuous batching: some passes carried the next tokens of all four slots.
            assertTrue(metrics.contains("edgebox_step_decode_tokens_bucket{le=\"2\"}"), metrics);
            assertTrue(bucketsAbove(metrics, "edgebox_step_decode_tokens", 2) > 0, metrics);
            openai.close();
        }
    }

    static String openAiStream(OpenAIClient client, String prompt) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder().model("stories260K-f32")
                .prompt(prompt).maxTokens(24).temperature(0.0).build())) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> text.append(ch.text())));
        }
        return text.toString();
    }

    static String ollamaStream(Ollama ollama, String prompt) throws Exception {
        StringBuilder text = new StringBuilder();
        var options = new OptionsBuilder().setTemperature(0f).setNumPredict(24).build();
        ollama.generate(OllamaGenerateRequest.builder().withModel("stories260K-f32").withPrompt(prompt).withRaw(true).withOptions(options)
                .withThink(ThinkMode.DISABLED).withStreaming(true), new OllamaGenerateStreamObserver(null, text::append));
        return text.toString();
    }

    /** Observations of a histogram above a bucket bound: count minus the bucket's cumulative count. */
    static long bucketsAbove(String metrics, String name, int bound) {
        return value(metrics, name + "_count") - value(metrics, name + "_bucket{le=\"" + bound + "\"}");
    }

    static long value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) return (long) Double.parseDouble(line.substring(series.length() + 1));
        }
        throw new AssertionError("no series " + series);
    }

    @Test
    void aFullQueueAnswers429ForOpenAiAnd503ForOllamaWithRetryAfter() throws Exception {
        Map<String, Object> settings = TestServers.settings(TestServers.QWEN);
        settings.put("parallel", 1);
        settings.put("queue-size", 1);
        settings.put("ctx", 8192);
        settings.put("max-tokens", 8000);
        try (EdgeServer server = TestServers.start(settings)) {
            String url = server.url();
            // A: a long stream that holds the only slot until we hang up.
            HttpResponse<InputStream> a = Http.client().send(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Hold the slot\",\"max_tokens\":8000,\"ignore_eos\":true,\"stream\":true}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader aLines = new BufferedReader(new InputStreamReader(a.body(), StandardCharsets.UTF_8));
            assertEquals(200, a.statusCode());
            String line;
            do {
                line = aLines.readLine(); // keep-alive comments may come first while the JIT warms up
            } while (line != null && !line.startsWith("data: "));
            assertTrue(line != null && line.contains("text_completion"), "A streams: " + line);
            // B: waits in the queue.
            CompletableFuture<HttpResponse<String>> b = Http.client().sendAsync(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Wait for it\",\"max_tokens\":4}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            waitFor(url, "edgebox_queue_depth 1");
            // C: nowhere to wait.
            Http.Reply openai = Http.post(url + "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(429, openai.status(), openai.body());
            assertEquals("1", openai.header("Retry-After"));
            assertEquals("queue_full", openai.json().path("error").path("code").asText());
            Http.Reply ollama = Http.post(url + "/api/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(503, ollama.status(), ollama.body());
            assertEquals("1", ollama.header("Retry-After"));
            assertTrue(ollama.json().path("error").asText().contains("busy"), ollama.body());
            // Hanging up A frees the slot; B runs.
            a.body().close();
            HttpResponse<String> bReply = b.get();
            assertEquals(200, bReply.statusCode(), bReply.body());
            String metrics = Http.get(url + "/metrics").body();
            assertTrue(metrics.contains("edgebox_requests_rejected_total{reason=\"queue_full\"} 2"), metrics);
            assertTrue(metrics.contains("edgebox_requests_finished_total{reason=\"cancelled\"} 1"), metrics);
            assertEquals(200, Http.post(url + "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}").status());
        }
    }

    /** Polls /metrics until a line appears (state changes, not timing, decide the test; the poll only waits). */
    static void waitFor(String url, String line) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            if (Http.get(url + "/metrics").body().lines().anyMatch(line::equals)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("metrics never showed '" + line + "'");
    }
}
