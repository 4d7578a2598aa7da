package dev.edgebox.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatPromptTest {
    @Test
    void rendersChatMlWithTheGenerationPrompt() {
        try (GgufFile f = GgufFile.open(Shared.require("reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf"))) {
            ChatPrompt p = ChatPrompt.of(f.metadata(), Tokenizer.fromMetadata(f.metadata()));
            String text = p.render(List.of(ChatPrompt.message("system", "Be brief."), ChatPrompt.message("user", "Hi")), Map.of());
            assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", text);
        }
    }

    @Test
    void aModelWithoutTemplateSaysSo() {
        try (GgufFile f = GgufFile.open(Shared.require("reference/models/stories260K/stories260K-f32.gguf"))) {
            assertFalse(ChatPrompt.available(f.metadata()));
            EngineException e = assertThrows(EngineException.class, () -> ChatPrompt.of(f.metadata(), Tokenizer.fromMetadata(f.metadata())));
            assertEquals("this model has no chat template (tokenizer.chat_template)", e.getMessage());
        }
    }
}
