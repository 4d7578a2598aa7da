package dev.edgebox.server.tasks;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;

/**
 * Turns a task's conversation (system prompt, few-shot turns, the input) into prompt tokens: with
 * the model's chat template when it has one (thinking turned off, as a task wants the answer
 * itself), else as plain text where each answer follows "Answer: ". Thread-safe.
 */
public final class TaskPrompts {
    static final String ANSWER = "Answer: ";
    private static final Map<String, Object> NO_THINKING = Map.of("enable_thinking", false);

    private final Tokenizer tokenizer;
    private final ChatPrompt chat;

    private TaskPrompts(Tokenizer tokenizer, ChatPrompt chat) {
        this.tokenizer = tokenizer;
        this.chat = chat;
    }

    public static TaskPrompts of(GgufMetadata metadata, Tokenizer tokenizer) {
        return new TaskPrompts(tokenizer, ChatPrompt.available(metadata) ? ChatPrompt.of(metadata, tokenizer) : null);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether prompts go through the model's chat template. */
    public boolean chatTemplate() {
        return chat != null;
    }

    /** The prompt text for messages with roles system, user and assistant; the last is the user's. */
    public String text(List<Map<String, Object>> messages) {
        if (chat != null) {
            try {
                return chat.render(messages, NO_THINKING);
            } catch (EngineException e) {
                throw new TaskException("the model's chat template refused the task's prompt: " + e.getMessage());
            }
        }
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> m : messages) {
            String content = String.valueOf(m.get("content"));
            switch (String.valueOf(m.get("role"))) {
                case "assistant" -> b.append(ANSWER).append(content).append("\n\n");
                case "user" -> b.append(content).append('\n');
                default -> b.append(content).append("\n\n");
            }
        }
        return b.append(ANSWER).toString();
    }

    /** The prompt's tokens, as {@code edgebox run} tokenizes prompt text. */
    public int[] tokens(List<Map<String, Object>> messages) {
        return tokenizer.encode(text(messages), true, true);
    }
}
