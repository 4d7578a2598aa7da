package dev.edgebox.engine.generate;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.template.ChatTemplate;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation rendered into prompt text with the model's own chat template
 * ({@code tokenizer.chat_template}), ready for {@code tokenizer.encode(text, true, true)}. The CLI
 * and the server both render through here so their prompts cannot drift apart. Immutable and
 * thread-safe: the template is parsed once.
 */
public final class ChatPrompt {
    public static final String TEMPLATE_KEY = "tokenizer.chat_template";

    private final ChatTemplate template;
    private final String bos;
    private final String eos;
    private final boolean addBos;

    private ChatPrompt(ChatTemplate template, Tokenizer tokenizer) {
        this.template = template;
        this.bos = tokenizer.bosId() >= 0 ? tokenizer.tokenText(tokenizer.bosId()) : "";
        this.eos = tokenizer.eosId() >= 0 ? tokenizer.tokenText(tokenizer.eosId()) : "";
        this.addBos = tokenizer.addBos();
    }

    /** Whether the model file carries a chat template. */
    public static boolean available(GgufMetadata metadata) {
        return metadata.has(TEMPLATE_KEY);
    }

    /**
     * The model's chat prompt.
     *
     * @throws EngineException when the model has no chat template or it does not parse
     */
    public static ChatPrompt of(GgufMetadata metadata, Tokenizer tokenizer) {
        if (!available(metadata)) throw new EngineException("this model has no chat template (" + TEMPLATE_KEY + ")");
        return new ChatPrompt(ChatTemplate.parse(metadata.getString(TEMPLATE_KEY)), tokenizer);
    }

    /** The template text. */
    public String source() {
        return template.source();
    }

    /**
     * Renders the messages with the generation prompt (the start of the assistant's turn) appended.
     *
     * @param messages  maps with "role" and "content" (see {@link ChatTemplate#apply})
     * @param extraVars template variables such as {@code enable_thinking}; may be empty
     * @throws EngineException when the template refuses the conversation (its own raise_exception text)
     */
    public String render(List<Map<String, Object>> messages, Map<String, Object> extraVars) {
        String rendered = template.apply(messages, true, bos, eos, extraVars);
        // The template usually writes the BOS text itself; encode() adds BOS too, so drop the written one.
        if (!bos.isEmpty() && addBos && rendered.startsWith(bos)) rendered = rendered.substring(bos.length());
        return rendered;
    }

    /** One message as the template expects it. */
    public static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
