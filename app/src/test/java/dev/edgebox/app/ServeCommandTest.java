package dev.edgebox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code edgebox serve} against {@code edgebox run}, and the real process draining on SIGTERM. */
class ServeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void greedyOutputOverHttpEqualsEdgeboxRun() throws Exception {
        Path model = Shared.require("reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf");
        CliTest.Result chat = CliTest.edgebox("run", "-m", model.toString(), "--chat", "--system", "Be brief.", "-p", "Tell me a story.",
                "--temp", "0", "-n", "20", "-t", "1");
        assertEquals(0, chat.code(), chat.err());
        CliTest.Result text = CliTest.edgebox("run", "-m", model.toString(), "-p", "Once upon a time", "--temp", "0", "-n", "20", "-t", "1");
        assertEquals(0, text.code(), text.err());

        try (EdgeServer server = EdgeServer.start(ConfigLoader.from(Map.of("model", model.toString(), "port", 0, "threads", 1,
                "access-log", "off")), new PrintStream(OutputStream.nullOutputStream()))) {
            JsonNode c = post(server.url() + "/v1/chat/completions", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"user\",\"content\":\"Tell me a story.\"}],\"temperature\":0,\"max_tokens\":20}");
            assertEquals(chat.out(), c.path("choices").get(0).path("message").path("content").asText() + "\n");
            JsonNode t = post(server.url() + "/v1/completions", "{\"prompt\":\"Once upon a time\",\"temperature\":0,\"max_tokens\":20}");
            assertEquals(text.out(), "Once upon a time" + t.path("choices").get(0).path("text").asText() + "\n");
            JsonNode o = post(server.url() + "/api/chat", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"user\",\"content\":\"Tell me a story.\"}],\"stream\":false,\"options\":{\"temperature\":0,\"num_predict\":20}}");
            assertEquals(chat.out(), o.path("message").path("content").asText() + "\n");
        }
    }

    @Test
    void sigtermDrainsTheServerProcess() throws Exception {
        Path model = Shared.require("reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "-m", model.toString(), "--port", "0", "-t", "1", "--access-log", "off", "--shutdown-timeout", "60s"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            Pattern serving = Pattern.compile("edgebox: serving '.*' at (http://\\S+) ");
            for (String line; url == null && (line = log.readLine()) != null; ) {
                Matcher m = serving.matcher(line);
                if (m.find()) url = m.group(1);
            }
            assertTrue(url != null, "the server said where it listens");
            HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\":\"Go on\",\"max_tokens\":60,\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            String line;
            do {
                line = events.readLine();
            } while (line != null && !line.startsWith("data: "));
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            List<String> rest = new ArrayList<>();
            while ((line = events.readLine()) != null) if (line.startsWith("data: ")) rest.add(line.substring(6));
            assertEquals("[DONE]", rest.getLast());
            assertEquals(60, JSON.readTree(rest.get(rest.size() - 2)).path("usage").path("completion_tokens").asInt(),
                    "the stream in flight finished");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process exits");
            String tail = String.join("\n", log.lines().toList());
            assertTrue(tail.contains("edgebox: stopped"), tail);
        } finally {
            p.destroyForcibly();
        }
    }
}
