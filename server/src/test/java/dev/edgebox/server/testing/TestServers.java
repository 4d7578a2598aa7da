package dev.edgebox.server.testing;

import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.config.ServeConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Servers on 127.0.0.1 with an ephemeral port over the small reference models, and the outputs they must give. */
public final class TestServers {
    /** Qwen2 architecture with a ChatML template (random weights: its text is gibberish, but deterministic). */
    public static final String QWEN = "reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf";
    /** A real (tiny) TinyStories model without chat template; F32 weights. */
    public static final String STORIES = "reference/models/stories260K/stories260K-f32.gguf";

    public static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private TestServers() {}

    /** Settings for a test server; tests change what they need. */
    public static Map<String, Object> settings(String model) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", Shared.require(model).toString());
        s.put("host", "127.0.0.1");
        s.put("port", 0);
        s.put("threads", 1); // tiny models: a second thread only adds hand-offs, which hurt on a busy machine
        s.put("parallel", 4);
        s.put("access-log", "off");
        s.put("kb-dir", "off"); // hermetic: no knowledge bases from the user's home
        s.put("tasks-dir", "off"); // nor tasks
        s.put("adapter-dir", "off"); // nor adapters
        return s;
    }

    public static EdgeServer start(Map<String, Object> settings) {
        return EdgeServer.start(ConfigLoader.from(settings), QUIET);
    }

    /** What {@code edgebox run --temp 0} prints for this prompt text (without --chat). */
    public static GenerationResult greedyText(Map<String, Object> settings, String prompt, int maxTokens) {
        ServeConfig c = ConfigLoader.from(settings);
        try (Model m = Model.open(c.model(), c.modelOptions())) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            return generate(m, tok, tok.encode(prompt, true, true), maxTokens);
        }
    }

    /** What {@code edgebox run --chat --temp 0} prints for these messages. */
    public static GenerationResult greedyChat(Map<String, Object> settings, List<Map<String, Object>> messages, int maxTokens) {
        ServeConfig c = ConfigLoader.from(settings);
        try (Model m = Model.open(c.model(), c.modelOptions())) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            String text = ChatPrompt.of(m.file().metadata(), tok).render(messages, Map.of());
            return generate(m, tok, tok.encode(text, true, true), maxTokens);
        }
    }

    private static GenerationResult generate(Model m, Tokenizer tok, int[] ids, int maxTokens) {
        return new Generator(m, tok).generate(m.newSequence(), ids, new GenerationRequest(SamplingParams.GREEDY, maxTokens, List.of(), false),
                t -> true);
    }

    public static Path model(String relative) {
        return Shared.require(relative);
    }
}
