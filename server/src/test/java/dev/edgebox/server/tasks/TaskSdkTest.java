package dev.edgebox.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.testing.Http;
import dev.edgebox.server.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK's structured-output call against tasks: the client's base URL is
 * {@code /v1/tasks/{name}}, its Java class becomes a json_schema response_format, and the answer
 * comes back as an instance of that class. Tiny Qwen2 model, greedy (the tasks' default).
 */
class TaskSdkTest {
    static final String NAME = "tiny-qwen2-q8_0";
    static EdgeServer server;

    public enum Label { positive, negative, neutral }

    public static class SentimentAnswer {
        @JsonPropertyDescription("The sentiment of the text")
        public Label sentiment;
    }

    public enum Currency { EUR, USD, CNY }

    /** Fields a contract or invoice names; bounded types so that even a random model finishes quickly. */
    public static class Invoice {
        public Currency currency;
        public long amountCents;
        public boolean paid;
    }

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.settings(TestServers.QWEN));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static OpenAIClient client(String task) {
        return OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1/tasks/" + task).apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    @Test
    void sentimentAsAJavaClass() {
        OpenAIClient client = client("sentiment");
        try {
            for (String text : List.of("这家店的菜太好吃了！", "The delivery was late and the food was cold.")) {
                StructuredChatCompletionCreateParams<SentimentAnswer> params = ChatCompletionCreateParams.builder().model(NAME)
                        .addUserMessage(text).responseFormat(SentimentAnswer.class).build();
                StructuredChatCompletion<SentimentAnswer> c = client.chat().completions().create(params);
                assertEquals("stop", c.choices().getFirst().finishReason().asString());
                SentimentAnswer a = c.choices().getFirst().message().content().orElseThrow();
                assertNotNull(a.sentiment);
            }
            // Without a response_format the task's own format applies: one bare label, the same as POST /v1/tasks/sentiment.
            String text = "Great value for the money.";
            ChatCompletion plain = client.chat().completions().create(ChatCompletionCreateParams.builder().model(NAME).addUserMessage(text).build());
            String label = plain.choices().getFirst().message().content().orElseThrow();
            Http.Reply direct = Http.post(server.url() + "/v1/tasks/sentiment", "{\"input\":\"" + text + "\"}");
            assertEquals(direct.json().path("output").asText(), label);
            assertEquals(direct.json().path("usage").path("prompt_tokens").asLong(), plain.usage().orElseThrow().promptTokens());
        } finally {
            client.close();
        }
    }

    @Test
    void extractIntoAJavaClass() {
        OpenAIClient client = client("extract");
        try {
            StructuredChatCompletionCreateParams<Invoice> params = ChatCompletionCreateParams.builder().model(NAME)
                    .addUserMessage("Invoice 2024-117: 1,250.00 EUR, paid by bank transfer on 3 May.").responseFormat(Invoice.class)
                    .maxCompletionTokens(200).build();
            StructuredChatCompletion<Invoice> c = client.chat().completions().create(params);
            assertEquals("stop", c.choices().getFirst().finishReason().asString());
            Invoice invoice = c.choices().getFirst().message().content().orElseThrow();
            assertNotNull(invoice.currency);
        } finally {
            client.close();
        }
    }

    @Test
    void classifyGetsItsLabelsAsAnExtraBodyField() {
        OpenAIClient client = client("classify");
        try {
            ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model(NAME)
                    .addUserMessage("The app crashes on start.")
                    .putAdditionalBodyProperty("params", JsonValue.from(Map.of("labels", List.of("billing", "technical", "other"))))
                    .build());
            assertTrue(List.of("billing", "technical", "other").contains(c.choices().getFirst().message().content().orElseThrow()));

            BadRequestException e = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                    ChatCompletionCreateParams.builder().model(NAME).addUserMessage("x").build()));
            assertEquals("params.labels", e.param().orElseThrow());
        } finally {
            client.close();
        }
    }
}
