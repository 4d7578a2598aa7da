package dev.edgebox.server.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.MeanPooling;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.config.ServeConfig;
import dev.edgebox.server.testing.TestServers;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.exceptions.OllamaException;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.embed.OllamaEmbedRequest;
import io.github.ollama4j.models.embed.OllamaEmbedResult;
import io.github.ollama4j.models.generate.OllamaGenerateRequest;
import io.github.ollama4j.models.response.Model;
import io.github.ollama4j.models.response.ModelDetail;
import io.github.ollama4j.utils.OptionsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ollama4j, a client nobody here wrote, against edgebox's Ollama dialect with the tiny Qwen2 model. */
class OllamaClientTest {
    static final String NAME = "tiny-qwen2-q8_0";
    static Map<String, Object> settings;
    static EdgeServer server;
    static Ollama ollama;

    @BeforeAll
    static void start() {
        settings = TestServers.settings(TestServers.QWEN);
        server = TestServers.start(settings);
        ollama = new Ollama(server.url());
        ollama.setRequestTimeoutSeconds(120);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static OllamaChatRequest chat(String user, int maxTokens) {
        return OllamaChatRequest.builder().withModel(NAME).withMessage(OllamaChatMessageRole.USER, user)
                .withOptions(new OptionsBuilder().setTemperature(0f).setNumPredict(maxTokens).build());
    }

    @Test
    void pingTagsPsVersionAndShow() throws Exception {
        assertTrue(ollama.ping());
        List<Model> models = ollama.listModels();
        assertEquals(1, models.size());
        assertEquals(NAME + ":latest", models.getFirst().getName());
        assertEquals(NAME, models.getFirst().getModelName());
        assertEquals("qwen2", models.getFirst().getModelMeta().getFamily());
        assertEquals("Q8_0", models.getFirst().getModelMeta().getQuantizationLevel());
        assertEquals(NAME + ":latest", ollama.ps().getModels().getFirst().getName());
        assertNotNull(ollama.getVersion());
        ModelDetail detail = ollama.getModelDetails(NAME);
        assertTrue(detail.getTemplate().contains("<|im_start|>"), detail.getTemplate());
        assertThrows(OllamaException.class, () -> ollama.getModelDetails("llama3:8b"));
    }

    @Test
    void chatEqualsEdgeboxRun() throws Exception {
        GenerationResult expected = TestServers.greedyChat(settings, List.of(ChatPrompt.message("user", "Why is the sky blue?")), 20);
        OllamaChatResult r = ollama.chat(chat("Why is the sky blue?", 20), null);
        assertEquals(expected.text(), r.getResponseModel().getMessage().getResponse());
        assertTrue(r.getResponseModel().isDone());
        assertEquals(expected.tokens().length, r.getResponseModel().getEvalCount());
        assertEquals(expected.promptTokens(), r.getResponseModel().getPromptEvalCount());
    }

    @Test
    void streamingChatArrivesInPiecesThatAddUpToTheAnswer() throws Exception {
        GenerationResult expected = TestServers.greedyChat(settings, List.of(ChatPrompt.message("user", "Name three colours.")), 16);
        List<String> pieces = new ArrayList<>();
        OllamaChatResult r = ollama.chat(chat("Name three colours.", 16), part -> {
            if (part.getMessage() != null && !part.isDone()) pieces.add(part.getMessage().getResponse());
        });
        assertTrue(pieces.size() > 3, "several pieces: " + pieces);
        assertEquals(expected.text(), String.join("", pieces));
        assertEquals(expected.text(), r.getResponseModel().getMessage().getResponse());
    }

    @Test
    void generateWrapsThePromptInTheChatTemplateUnlessRaw() throws Exception {
        GenerationResult templated = TestServers.greedyChat(settings, List.of(ChatPrompt.message("user", "Hello there")), 12);
        var options = new OptionsBuilder().setTemperature(0f).setNumPredict(12).build();
        var r = ollama.generate(OllamaGenerateRequest.builder().withModel(NAME).withPrompt("Hello there").withOptions(options), null);
        assertEquals(templated.text(), r.getResponse());
        GenerationResult raw = TestServers.greedyText(settings, "Hello there", 12);
        var rr = ollama.generate(OllamaGenerateRequest.builder().withModel(NAME).withPrompt("Hello there").withRaw(true).withOptions(options), null);
        assertEquals(raw.text(), rr.getResponse());
    }

    @Test
    void embedGivesTheModelsPooledVectors() throws Exception {
        List<String> texts = List.of("a cup of tea", "the engine overheated");
        ServeConfig config = ConfigLoader.from(settings);
        List<float[]> expected = new ArrayList<>();
        try (var m = dev.edgebox.engine.model.Model.open(config.model(), config.modelOptions())) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            for (String t : texts) expected.add(MeanPooling.embed(m, m.newSequence(), tok.encode(t, true, false)));
        }
        OllamaEmbedResult r = ollama.embed(new OllamaEmbedRequest(NAME, texts));
        assertEquals(2, r.getEmbeddings().size());
        for (int i = 0; i < 2; i++) {
            List<Double> v = r.getEmbeddings().get(i);
            assertEquals(expected.get(i).length, v.size());
            for (int j = 0; j < v.size(); j++) assertEquals(expected.get(i)[j], v.get(j), 1e-6);
        }
    }

    @Test
    void anUnknownModelIsRefusedInOllamasWords() {
        OllamaException e = assertThrows(OllamaException.class,
                () -> ollama.chat(OllamaChatRequest.builder().withModel("llama3:8b").withMessage(OllamaChatMessageRole.USER, "hi"), null));
        assertTrue(e.getMessage().contains("model 'llama3:8b' not found"), e.getMessage());
    }
}
