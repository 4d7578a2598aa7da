package dev.edgebox.app;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One-shot generation: a prompt in, streamed text out. */
@Command(name = "run", description = "Generate text from a prompt, streaming it to standard output.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model;

    @Mixin
    SamplingArgs sampling;

    @Mixin
    LoraArgs lora;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt (default: read standard input).")
    String prompt;

    @Option(names = "--chat", description = "Wrap the prompt in the model's chat template as a user message.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message for --chat.")
    String system;

    @Option(names = "--no-think", description = "For --chat with models that think (Qwen3): answer directly.")
    boolean noThink;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Tokens to generate at most; -1 = until the context is full (default: ${DEFAULT-VALUE}).")
    int maxTokens = 256;

    @Option(names = "--ignore-eos", description = "Keep generating past end-of-generation tokens.")
    boolean ignoreEos;

    @Option(names = "--show-prompt", description = "Echo the (templated) prompt before the output.")
    boolean showPrompt;

    @Override
    public Integer call() throws IOException {
        String text = prompt != null ? prompt : readStdin();
        if (text.isEmpty()) throw new EngineException("the prompt is empty: pass -p TEXT or pipe it on standard input");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Model m = Model.open(model.modelOrDemo(), model.options())) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            AdapterStack adapters = lora.load(m.config(), System.err);
            String rendered = chat ? chatPrompt(m, tok, text) : text;
            int[] ids = tok.encode(rendered, true, true);
            if (showPrompt) out.print(rendered);
            else if (!chat) out.print(text);
            GenerationRequest req = new GenerationRequest(sampling.params(), maxTokens, sampling.stop, ignoreEos);
            GenerationResult r = new Generator(m, tok, adapters).generate(m.newSequence(), ids, req, piece -> {
                out.print(piece);
                return !out.checkError();
            });
            out.println();
            System.err.printf(Locale.ROOT, "edgebox: prompt %d tokens (%.1f tokens/s), generated %d tokens (%.1f tokens/s), finish: %s%s%n",
                    r.promptTokens(), r.prefillTokensPerSecond(), r.tokens().length, r.decodeTokensPerSecond(),
                    r.finishReason().apiName(), model.verbose ? ", seed " + r.seed() : "");
        }
        return 0;
    }

    private String chatPrompt(Model m, Tokenizer tok, String userText) {
        var md = m.file().metadata();
        if (!ChatPrompt.available(md)) {
            throw new EngineException("--chat needs a chat template, and this model has none (tokenizer.chat_template); run without --chat");
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        if (system != null) messages.add(ChatPrompt.message("system", system));
        messages.add(ChatPrompt.message("user", userText));
        Map<String, Object> extra = new LinkedHashMap<>();
        if (noThink) extra.put("enable_thinking", false);
        return ChatPrompt.of(md, tok).render(messages, extra);
    }

    private static String readStdin() throws IOException {
        if (System.console() != null) throw new EngineException("no prompt: pass -p TEXT or pipe it on standard input");
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
