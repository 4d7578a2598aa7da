package dev.edgebox.server.lora;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.server.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP calls of the adapter tests: management routes, and completions read whole or as streams. */
final class AdapterClient {
    final String url;
    final String[] headers;

    /** @param headers sent with every call (an API key) */
    AdapterClient(String url, String... headers) {
        this.url = url;
        this.headers = headers;
    }

    Http.Reply get(String path) {
        return Http.get(url + path, headers);
    }

    Http.Reply post(String path, Object body) {
        return Http.post(url + path, json(body), headers);
    }

    Http.Reply delete(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).DELETE().timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> r = Http.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Http.Reply addAdapter(String name, String path) {
        return post("/v1/adapters", Map.of("name", name, "path", path));
    }

    /** A greedy text completion body; extra entries (model, lora) are added to it. */
    static Map<String, Object> completion(String prompt, int tokens, Object... extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt", prompt);
        body.put("max_tokens", tokens);
        body.put("temperature", 0);
        body.put("ignore_eos", true);
        for (int i = 0; i < extra.length; i += 2) body.put((String) extra[i], extra[i + 1]);
        return body;
    }

    static List<Map<String, Object>> lora(Object... nameScale) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int i = 0; i < nameScale.length; i += 2) out.add(Map.of("name", nameScale[i], "scale", nameScale[i + 1]));
        return out;
    }

    /** A stream whose headers have arrived (so the server has accepted it and pinned its adapters); read it with {@link #text}. */
    record Stream(HttpResponse<InputStream> response, boolean ollama) {
        String adapters() {
            return response.headers().firstValue("X-Edgebox-Adapters").orElse("");
        }

        /** The streamed text; fails on an error event or a stream that does not end properly. */
        String text() {
            StringBuilder text = new StringBuilder();
            boolean ended = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (ollama) {
                        if (line.isBlank()) continue;
                        JsonNode e = Http.JSON.readTree(line);
                        if (e.has("error")) throw new AssertionError("the stream failed: " + line);
                        text.append(e.path("response").asText());
                        if (e.path("done").asBoolean()) ended = true;
                    } else {
                        if (!line.startsWith("data: ")) continue;
                        if (line.equals("data: [DONE]")) {
                            ended = true;
                            continue;
                        }
                        JsonNode e = Http.JSON.readTree(line.substring(6));
                        if (e.has("error")) throw new AssertionError("the stream failed: " + line);
                        text.append(e.path("choices").path(0).path("text").asText());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!ended) throw new AssertionError("the stream ended without its final event: " + text);
            return text.toString();
        }
    }

    /** Starts a streaming completion (OpenAI /v1/completions) and returns once the server answered with its headers. */
    Stream stream(Map<String, Object> body) {
        Map<String, Object> b = new LinkedHashMap<>(body);
        b.put("stream", true);
        return open("/v1/completions", b, false);
    }

    /** Starts a streaming Ollama /api/generate (raw prompt, greedy). */
    Stream ollamaStream(String model, String prompt, int tokens) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("model", model);
        b.put("prompt", prompt);
        b.put("raw", true);
        b.put("options", Map.of("temperature", 0, "num_predict", tokens));
        return open("/api/generate", b, true);
    }

    private Stream open(String path, Map<String, Object> body, boolean ollama) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(json(body)))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<InputStream> r = Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) throw new AssertionError("status " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
            return new Stream(r, ollama);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String json(Object body) {
        try {
            return Http.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
