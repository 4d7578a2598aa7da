package dev.edgebox.engine.template;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template ({@code tokenizer.chat_template} in GGUF metadata), rendered exactly as
 * Hugging Face transformers' {@code apply_chat_template} renders it with Jinja2: an immutable sandbox
 * with trim_blocks, lstrip_blocks and loop controls, a json.dumps-based {@code tojson}, and the
 * globals {@code raise_exception} and {@code strftime_now}. Parsed once, rendered many times; an
 * instance is immutable and safe to share between threads.
 *
 * <p>Context values are plain Java: String, Boolean, Integer/Long/Double, List, Map (iteration order
 * is kept, so use LinkedHashMap for messages and tool schemas), null, and {@link TemplateFunction}.
 */
public final class ChatTemplate {
    private final String source;
    private final List<Ast.Stmt> body;
    private final Symbols symbols;
    private final Clock clock;

    private ChatTemplate(String source, List<Ast.Stmt> body, Symbols symbols, Clock clock) {
        this.source = source;
        this.body = body;
        this.symbols = symbols;
        this.clock = clock;
    }

    /**
     * Parses a template.
     *
     * @throws TemplateException (an EngineException) naming the line and column of a syntax error
     */
    public static ChatTemplate parse(String source) {
        Objects.requireNonNull(source, "chat template source");
        List<Ast.Stmt> body = Parser.parse(source);
        return new ChatTemplate(source, body, Symbols.analyze(body), Clock.systemDefaultZone());
    }

    /** The same template with strftime_now reading this clock, for reproducible prompts and tests. */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, body, symbols, clock);
    }

    public String source() {
        return source;
    }

    /**
     * Renders with the given variables.
     *
     * @throws TemplateException (an EngineException) when the template calls raise_exception (the message is
     *     the template's own text) or fails at run time, with the template line
     */
    public String render(Map<String, Object> context) {
        Scope scope = Globals.scope(clock).child();
        context.forEach((name, value) -> scope.set(name, Py.fromJava(value)));
        Renderer renderer = new Renderer(symbols);
        return renderer.render(body, renderer.frame(scope, body));
    }

    /**
     * Renders a conversation the way transformers does: {@code messages}, {@code add_generation_prompt},
     * {@code bos_token}, {@code eos_token}, and {@code tools} and {@code documents} set to None unless
     * extraVariables give them (with extra template kwargs such as {@code enable_thinking}).
     *
     * @param messages maps with "role", "content" and optionally "tool_calls", "reasoning_content", "name",
     *     "tool_call_id"
     */
    public String apply(List<Map<String, Object>> messages, boolean addGenerationPrompt, String bosToken,
                        String eosToken, Map<String, Object> extraVariables) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", messages);
        context.put("tools", null);
        context.put("documents", null);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        if (extraVariables != null) {
            context.putAll(extraVariables);
        }
        return render(context);
    }
}
