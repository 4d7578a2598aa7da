package dev.edgebox.server.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.MeanPooling;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.config.ServeConfig;
import dev.edgebox.server.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against edgebox on loopback, with the tiny Qwen2 model (ChatML
 * template): chat, streaming chat, completions, embeddings and errors. Greedy answers must be
 * exactly what {@code edgebox run --temp 0} gives.
 */
class OpenAiSdkTest {
    static Map<String, Object> settings;
    static EdgeServer server;
    static OpenAIClient client;
    static final String NAME = "tiny-qwen2-q8_0";

    @BeforeAll
    static void start() {
        settings = TestServers.settings(TestServers.QWEN);
        server = TestServers.start(settings);
        client = OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1").apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    static ChatCompletionCreateParams.Builder chat(String user, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(NAME).addSystemMessage("You are brief.").addUserMessage(user)
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    static List<Map<String, Object>> messages(String user) {
        return List.of(ChatPrompt.message("system", "You are brief."), ChatPrompt.message("user", user));
    }

    @Test
    void listsTheServedModel() {
        List<Model> models = client.models().list().data();
        assertEquals(1, models.size());
        assertEquals(NAME, models.getFirst().id());
        assertEquals(NAME, client.models().retrieve(NAME).id());
    }

    @Test
    void greedyChatEqualsEdgeboxRun() {
        GenerationResult expected = TestServers.greedyChat(settings, messages("Tell me about the sea."), 24);
        ChatCompletion c = client.chat().completions().create(chat("Tell me about the sea.", 24).build());
        assertEquals(expected.text(), c.choices().getFirst().message().content().orElseThrow());
        assertEquals(expected.finishReason().apiName(), c.choices().getFirst().finishReason().asString());
        assertEquals(expected.promptTokens(), c.usage().orElseThrow().promptTokens());
        assertEquals(expected.tokens().length, c.usage().orElseThrow().completionTokens());
        assertEquals(NAME, c.model());
    }

    @Test
    void streamingChatDeliversTheSameTextInPiecesWithUsage() {
        GenerationResult expected = TestServers.greedyChat(settings, messages("Count to five."), 20);
        StringBuilder text = new StringBuilder();
        List<String> finish = new ArrayList<>();
        long[] usage = {-1, -1};
        int[] chunks = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat("Count to five.", 20)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks[0]++;
                chunk.choices().forEach(ch -> {
                    ch.delta().content().ifPresent(text::append);
                    ch.finishReason().ifPresent(f -> finish.add(f.asString()));
                });
                chunk.usage().ifPresent(u -> {
                    usage[0] = u.promptTokens();
                    usage[1] = u.completionTokens();
                });
            });
        }
        assertEquals(expected.text(), text.toString());
        assertEquals(List.of(expected.finishReason().apiName()), finish);
        assertEquals(expected.promptTokens(), usage[0]);
        assertEquals(expected.tokens().length, usage[1]);
        assertTrue(chunks[0] > 3, "text arrives in several chunks: " + chunks[0]);
    }

    @Test
    void completionsOfPlainTextEqualEdgeboxRun() {
        String prompt = "The quick brown fox";
        GenerationResult expected = TestServers.greedyText(settings, prompt, 16);
        Completion c = client.completions().create(CompletionCreateParams.builder().model(NAME).prompt(prompt).maxTokens(16)
                .temperature(0.0).build());
        assertEquals(expected.text(), c.choices().getFirst().text());
        assertEquals(expected.tokens().length, c.usage().orElseThrow().completionTokens());

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder().model(NAME)
                .prompt(prompt).maxTokens(16).temperature(0.0).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> streamed.append(ch.text())));
        }
        assertEquals(expected.text(), streamed.toString());
    }

    @Test
    void embeddingsArePooledFromTheModel() {
        List<String> texts = List.of("a quiet harbour at dawn", "stock markets fell sharply");
        ServeConfig config = ConfigLoader.from(settings);
        List<float[]> expected = new ArrayList<>();
        try (var m = dev.edgebox.engine.model.Model.open(config.model(), config.modelOptions())) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            for (String t : texts) expected.add(MeanPooling.embed(m, m.newSequence(), tok.encode(t, true, false)));
        }
        // The SDK asks for base64 unless told otherwise; check both encodings.
        for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.BASE64,
                EmbeddingCreateParams.EncodingFormat.FLOAT)) {
            CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model(NAME)
                    .inputOfArrayOfStrings(texts).encodingFormat(format).build());
            assertEquals(2, r.data().size());
            for (int i = 0; i < 2; i++) {
                List<Float> v = r.data().get(i).embedding();
                assertEquals(256, v.size());
                float[] got = new float[v.size()];
                for (int j = 0; j < got.length; j++) got[j] = v.get(j);
                assertArrayEquals(expected.get(i), got, 1e-6f, format + " input " + i);
            }
            assertTrue(r.usage().promptTokens() > 4);
        }
    }

    @Test
    void errorsComeBackAsTheSdkExceptionsWithTheFieldNamed() {
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> client.chat().completions().create(chat("hi", 4).model("gpt-4o").build()));
        assertTrue(notFound.getMessage().contains("model 'gpt-4o' is not served here"), notFound.getMessage());
        assertEquals("model_not_found", notFound.code().orElseThrow());

        BadRequestException bad = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(chat("hi", 4).temperature(3.5).build()));
        assertEquals("temperature", bad.param().orElseThrow());
        assertTrue(bad.getMessage().contains("'temperature' must be between 0 and 2, got 3.5"), bad.getMessage());

        BadRequestException tooLong = assertThrows(BadRequestException.class,
                () -> client.completions().create(CompletionCreateParams.builder().model(NAME).prompt("word ".repeat(3000)).maxTokens(4).build()));
        assertEquals("context_length_exceeded", tooLong.code().orElseThrow());

        // The server keeps serving.
        assertFalse(client.chat().completions().create(chat("still there?", 2).build()).choices().isEmpty());
    }
}
