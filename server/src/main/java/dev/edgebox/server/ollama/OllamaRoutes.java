package dev.edgebox.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.server.format.OutputCheck;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.ErrorRenderer;
import dev.edgebox.server.http.EventStream;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.inference.ModelInfo;
import dev.edgebox.server.inference.ServedModel;
import dev.edgebox.server.inference.Streaming;
import dev.edgebox.server.lora.ServedAdapters;
import dev.edgebox.server.ollama.OllamaJson.Answer;
import dev.edgebox.server.ollama.OllamaJson.ChatMessage;
import dev.edgebox.server.openai.OpenAiRoutes;
import dev.edgebox.server.scheduler.EmbeddingJob;
import dev.edgebox.server.scheduler.GenerationJob;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The Ollama dialect:
 * <pre>
 * GET  /                 "edgebox is running"
 * GET  /api/version, /api/tags, /api/ps
 * POST /api/show         model details, template, capabilities
 * POST /api/chat         messages -> the chat template -> text (JSON lines while "stream", the default)
 * POST /api/generate     prompt (templated unless "raw") -> text
 * POST /api/embed        input(s) -> embeddings; /api/embeddings, the older single-prompt form
 * </pre>
 * A generation runs with LoRA adapters when {@code model} is "base:NAME" (or "NAME") or a {@code lora}
 * array lists them, as in the OpenAI dialect; /api/tags lists each adapter as the tag "base:NAME".
 * Errors are {"error": "message"}; a full queue is 503 with Retry-After, as Ollama answers.
 */
public final class OllamaRoutes {
    /** Renders errors of /api/* paths the way Ollama clients parse them. */
    public static final ErrorRenderer ERRORS = (request, e) -> {
        if (!request.path().startsWith("/api/")) return ErrorRenderer.OPENAI.render(request, e);
        int status = e.status() == 429 ? 503 : e.status();
        Response r = Response.json(status, new OllamaJson.Error(e.getMessage()));
        e.headers().forEach(r::header);
        return r;
    };

    private final ServedModel model;
    private final String version;

    public OllamaRoutes(ServedModel model, String version) {
        this.model = model;
        this.version = version;
    }

    public Router register(Router r) {
        return r.get("/", req -> Response.text(200, "edgebox is running"))
                .add("HEAD", "/", req -> Response.text(200, "")) // Ollama's clients check the server is up this way
                .get("/api/version", req -> Response.json(new OllamaJson.Version(version)))
                .get("/api/tags", this::tags)
                .get("/api/ps", this::ps)
                .post("/api/show", this::show)
                .post("/api/chat", this::chat)
                .post("/api/generate", this::generate)
                .post("/api/embed", this::embed)
                .post("/api/embeddings", this::legacyEmbedding);
    }

    private OllamaJson.Tag tag() {
        return tag(model.name() + ":latest");
    }

    private OllamaJson.Tag tag(String name) {
        ModelInfo m = model.info();
        return new OllamaJson.Tag(name, name, m.modified().toString(), m.sizeBytes(), m.digest(), OllamaJson.Details.of(m));
    }

    /** The base model as "name:latest", then each adapter as "name:ADAPTER" (a tag of the base, to Ollama clients). */
    private Response tags(Request req) {
        List<OllamaJson.Tag> tags = new ArrayList<>(List.of(tag()));
        if (model.adapters() != null) for (String a : model.adapters().names()) tags.add(tag(ServedAdapters.id(model.name(), a)));
        return Response.json(new OllamaJson.Tags(tags));
    }

    private Response ps(Request req) {
        ModelInfo m = model.info();
        var running = new OllamaJson.Running(tag().name(), tag().model(), m.sizeBytes(), m.digest(), OllamaJson.Details.of(m), null, 0,
                model.contextLength());
        return Response.json(new OllamaJson.Ps(List.of(running)));
    }

    private Response show(Request req) throws Exception {
        Fields f = Fields.body(req);
        String name = f.optString("model", f.optString("name", null));
        if (name == null) throw f.invalid("model", "is required");
        if (!model.answersTo(name)) model.chooseOllama(Fields.of(JsonNodeFactory.instance.objectNode().put("model", name), ""));
        ModelInfo m = model.info();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("general.architecture", m.architecture());
        info.put("general.parameter_count", m.parameters());
        info.put(m.architecture() + ".context_length", model.metadata().getLong(m.architecture() + ".context_length", m.contextLength()));
        info.put(m.architecture() + ".embedding_length", m.embeddingLength());
        List<String> capabilities = new ArrayList<>(List.of("completion", "embedding"));
        String template = model.chatTemplate();
        return Response.json(new OllamaJson.Show("", "# edgebox serves " + m.file() + "\nFROM " + m.file() + "\n", "", template,
                OllamaJson.Details.of(m), info, capabilities, m.modified().toString()));
    }

    /** Ollama says "model not found" with 404; the name check is the same as OpenAI's. */
    private void checkModel(String name) {
        if (!model.answersTo(name)) throw ApiException.notFound("model '" + name + "' not found; this server serves '" + model.name() + "'");
    }

    private Response chat(Request req) throws Exception {
        Fields f = Fields.body(req);
        ServedAdapters.Choice adapters = model.chooseOllama(f);
        OllamaRequests.refuseUnsupported(f);
        var messages = OllamaRequests.messages(f);
        GenerationRequest generation = OllamaRequests.generation(f, model);
        int[] prompt = model.chatPrompt(messages, OllamaRequests.templateVariables(f), "messages");
        return answer(req, f, prompt, generation, adapters, "messages", true);
    }

    private Response generate(Request req) throws Exception {
        Fields f = Fields.body(req);
        ServedAdapters.Choice adapters = model.chooseOllama(f);
        OllamaRequests.refuseUnsupported(f);
        if (f.has("template")) throw f.invalid("template", "(a custom prompt template) is not supported; send raw=true with the text you want");
        if (f.has("suffix")) throw f.invalid("suffix", "is not supported yet");
        List<JsonNode> context = f.optArray("context");
        if (context != null && !context.isEmpty()) throw f.invalid("context", "is not supported; use /api/chat for conversations");
        String text = f.optString("prompt", "");
        if (text.isEmpty()) {
            // Ollama's way to load a model: an empty prompt answers at once.
            return Response.json(new Answer(adapters.model(), Instant.now().toString(), null, "", true, "load", null, null, null, null, null, null));
        }
        GenerationRequest generation = OllamaRequests.generation(f, model);
        String system = f.optString("system", null);
        int[] prompt;
        if (f.bool("raw", false) || model.chatTemplate() == null) {
            prompt = model.textPrompt(system == null ? text : system + "\n\n" + text);
        } else {
            List<Map<String, Object>> messages = new ArrayList<>();
            if (system != null) messages.add(ChatPrompt.message("system", system));
            messages.add(ChatPrompt.message("user", text));
            prompt = model.chatPrompt(messages, OllamaRequests.templateVariables(f), "prompt");
        }
        return answer(req, f, prompt, generation, adapters, "prompt", false);
    }

    /** Runs a generation with the chosen adapters and answers as /api/chat (chat = true) or /api/generate do. */
    private Response answer(Request req, Fields f, int[] prompt, GenerationRequest generation, ServedAdapters.Choice adapters, String promptParam,
                            boolean chat) throws Exception {
        boolean stream = f.bool("stream", true);
        StructuredOutput format = OllamaRequests.format(f, model);
        String name = adapters.model();
        req.note("model", name);
        req.note("stream", stream);
        req.note("prompt_tokens", prompt.length);
        GenerationJob job = model.generate(prompt, generation, format, adapters, promptParam);
        long start = req.startNanos();
        if (!stream) {
            GenerationResult r = Streaming.await(job, model).result();
            return withAdapters(Response.json(done(name, r, r.text(), chat, start, finishReason(req, r, format))), job);
        }
        return withAdapters(Response.stream(200, EventStream.NDJSON, out -> {
            EventStream lines = EventStream.jsonLines(out);
            Streaming.pump(job, lines, new Streaming.Format() {
                @Override
                public void text(String piece) throws IOException {
                    lines.send(piece(name, piece, chat));
                }

                @Override
                public void done(GenerationJob.Done d) throws IOException {
                    lines.send(OllamaRoutes.this.done(name, d.result(), "", chat, start, finishReason(req, d.result(), format)));
                }

                @Override
                public void failed(RuntimeException error) throws IOException {
                    lines.send(new OllamaJson.Error(model.refused(error).getMessage()));
                }
            });
        }), job);
    }

    /** Names the adapter versions the answer runs on, as the OpenAI routes do. */
    private static Response withAdapters(Response r, GenerationJob job) {
        return job.adapterVersions().isEmpty() ? r : r.header(OpenAiRoutes.ADAPTERS_HEADER, String.join(",", job.adapterVersions()));
    }

    private Answer piece(String name, String text, boolean chat) {
        String now = Instant.now().toString();
        return chat ? new Answer(name, now, new ChatMessage("assistant", text), null, false, null, null, null, null, null, null, null)
                : new Answer(name, now, null, text, false, null, null, null, null, null, null, null);
    }

    private Answer done(String name, GenerationResult r, String text, boolean chat, long startNanos, String doneReason) {
        long total = System.nanoTime() - startNanos;
        return new Answer(name, Instant.now().toString(), chat ? new ChatMessage("assistant", text) : null, chat ? null : text, true,
                doneReason, total, 0L, r.promptTokens(), r.prefillNanos(), r.tokens().length, r.decodeNanos());
    }

    /** The done_reason the client sees (stop only for an answer that passes the format's check), noted for the access log. */
    private static String finishReason(Request req, GenerationResult r, StructuredOutput format) {
        String reason = OllamaJson.doneReason(OutputCheck.finishReason(format, r));
        req.note("cached_tokens", r.cachedTokens());
        req.note("completion_tokens", r.tokens().length);
        req.note("finish_reason", reason);
        return reason;
    }

    private Response embed(Request req) throws Exception {
        Fields f = Fields.body(req);
        String name = f.optString("model", null);
        if (name != null) checkModel(name);
        boolean truncate = f.bool("truncate", true);
        Integer dimensions = f.optInt("dimensions", 1, Integer.MAX_VALUE);
        if (dimensions != null && dimensions != model.info().embeddingLength()) {
            throw f.invalid("dimensions", "must be " + model.info().embeddingLength() + " for this model, got " + dimensions);
        }
        JsonNode in = f.get("input");
        if (in == null) throw f.invalid("input", "is required: a string or an array of strings");
        List<int[]> inputs = new ArrayList<>();
        if (in.isTextual()) {
            inputs.add(model.embeddingInput(in.asText(), truncate, "input"));
        } else if (in.isArray() && !in.isEmpty()) {
            for (int i = 0; i < in.size(); i++) {
                if (!in.get(i).isTextual()) throw f.invalid("input", "must hold strings; input[" + i + "] is " + Fields.kind(in.get(i)));
                inputs.add(model.embeddingInput(in.get(i).asText(), truncate, "input[" + i + "]"));
            }
        } else {
            throw f.invalid("input", "must be a string or a non-empty array of strings, got " + Fields.kind(in));
        }
        long start = req.startNanos();
        List<float[]> vectors = run(model.embed(inputs));
        int tokens = inputs.stream().mapToInt(a -> a.length).sum();
        req.note("prompt_tokens", tokens);
        return Response.json(new OllamaJson.Embed(model.name(), vectors, System.nanoTime() - start, 0L, tokens));
    }

    private Response legacyEmbedding(Request req) throws Exception {
        Fields f = Fields.body(req);
        String name = f.optString("model", null);
        if (name != null) checkModel(name);
        String prompt = f.string("prompt");
        return Response.json(new OllamaJson.LegacyEmbedding(run(model.embed(List.of(model.embeddingInput(prompt, true, "prompt")))).getFirst()));
    }

    private List<float[]> run(EmbeddingJob job) throws InterruptedException {
        try {
            return job.result().get();
        } catch (ExecutionException e) {
            throw model.refused(e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause()));
        } finally {
            job.cancel();
        }
    }
}
