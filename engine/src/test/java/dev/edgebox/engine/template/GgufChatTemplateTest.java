package dev.edgebox.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chat templates stored in real GGUF files are the fixtures' texts and render like Jinja2. */
class GgufChatTemplateTest {
    private static String chatTemplateOf(String gguf) {
        try (GgufFile file = GgufFile.open(Shared.require("reference/tokenizers/" + gguf))) {
            return file.metadata().getString("tokenizer.chat_template");
        }
    }

    private static List<Map<String, Object>> conversation() {
        return List.of(
                Map.of("role", "system", "content", "You are a helpful assistant."),
                Map.of("role", "user", "content", "Hello! Who are you?"));
    }

    @Test
    void qwen2TemplateFromGgufMatchesFixtureAndRenders() {
        String source = chatTemplateOf("ggml-vocab-qwen2.gguf");
        assertEquals(Fixtures.text("templates/qwen2.5-instruct.jinja"), source);
        String rendered = ChatTemplate.parse(source).apply(conversation(), true, "", "", Map.of());
        assertEquals(Fixtures.text("expected/qwen2.5-instruct/system_user.txt"), rendered);
    }

    @Test
    void llama3TemplateFromGgufMatchesFixtureAndRenders() {
        String source = chatTemplateOf("ggml-vocab-llama-bpe.gguf");
        assertEquals(Fixtures.text("templates/llama3-instruct.jinja"), source);
        String rendered = ChatTemplate.parse(source).apply(conversation(), true, "<|begin_of_text|>", "<|eot_id|>", Map.of());
        assertEquals(Fixtures.text("expected/llama3-instruct/system_user.txt"), rendered);
    }
}
