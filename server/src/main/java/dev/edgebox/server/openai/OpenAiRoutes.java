package dev.edgebox.server.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.server.format.OutputCheck;
import dev.edgebox.server.format.RequestFormats;
import dev.edgebox.server.http.EventStream;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.inference.ServedModel;
import dev.edgebox.server.inference.Streaming;
import dev.edgebox.server.lora.ServedAdapters;
import dev.edgebox.server.openai.OpenAiJson.ChatChoice;
import dev.edgebox.server.openai.OpenAiJson.ChatChunk;
import dev.edgebox.server.openai.OpenAiJson.ChatCompletion;
import dev.edgebox.server.openai.OpenAiJson.ChunkChoice;
import dev.edgebox.server.openai.OpenAiJson.Delta;
import dev.edgebox.server.openai.OpenAiJson.Message;
import dev.edgebox.server.openai.OpenAiJson.TextChoice;
import dev.edgebox.server.openai.OpenAiJson.TextCompletion;
import dev.edgebox.server.openai.OpenAiJson.Usage;
import dev.edgebox.server.scheduler.GenerationJob;
import dev.edgebox.server.tasks.TaskCall;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskException;
import dev.edgebox.server.tasks.TaskRoutes;
import dev.edgebox.server.tasks.TaskRunner;
import dev.edgebox.server.tasks.Tasks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI dialect:
 * <pre>
 * GET  /v1/models, /v1/models/{id}
 * POST /v1/chat/completions     messages -> the model's chat template -> text (SSE when stream)
 * POST /v1/completions          prompt text or token ids -> text (SSE when stream)
 * POST /v1/embeddings           see {@link OpenAiEmbeddings}
 * POST /v1/tasks/{name}/chat/completions   a task as a chat completion (when tasks are given)
 * </pre>
 * A generation runs with LoRA adapters when {@code model} names one ("base:NAME" or "NAME") or an
 * extra {@code lora} array lists them ({@link ServedAdapters}); the versions it runs on are in the
 * X-Edgebox-Adapters header and {@code /v1/models} lists each adapter as "base:NAME".
 * Streams are server-sent events ending in {@code data: [DONE]}; {@code stream_options.include_usage}
 * adds a last chunk with the token counts. Errors are {"error":{"message","type","param","code"}}.
 */
public final class OpenAiRoutes {
    /** Response header naming the adapter versions a generation runs on. */
    public static final String ADAPTERS_HEADER = "X-Edgebox-Adapters";

    private final ServedModel model;
    private final Tasks tasks;

    public OpenAiRoutes(ServedModel model) {
        this(model, null);
    }

    /** With tasks: also {@code POST /v1/tasks/{name}/chat/completions}, a task behind the chat completions API. */
    public OpenAiRoutes(ServedModel model, Tasks tasks) {
        this.model = model;
        this.tasks = tasks;
    }

    public Router register(Router r) {
        OpenAiEmbeddings embeddings = new OpenAiEmbeddings(model);
        r.get("/v1/models", this::models)
                .get("/v1/models/{id}", this::model)
                .post("/v1/chat/completions", this::chat)
                .post("/v1/completions", this::completions)
                .post("/v1/embeddings", embeddings::handle);
        if (tasks != null) r.post("/v1/tasks/{name}/chat/completions", this::taskChat);
        return r;
    }

    /**
     * A task as a chat completion, so that OpenAI clients (their structured-output helpers included)
     * can call it with the base URL {@code /v1/tasks/{name}}: the last user message is the task's
     * input, an extra {@code params} object holds its parameters; the task builds the prompt. The
     * client's response_format, when it sends one, decides the answer's format (and gives a task that
     * takes its schema or labels per call those); otherwise the task's own format applies. Sampling
     * fields the client sends override the task's defaults. "auto" routes first; the task chosen is in
     * the X-Edgebox-Task header.
     */
    private Response taskChat(Request req) throws Exception {
        Fields f = Fields.body(req);
        model.checkModel(f.optString("model", null), "model");
        var messages = OpenAiRequests.messages(f);
        Map<String, Object> last = messages.getLast();
        if (!"user".equals(last.get("role"))) throw f.invalid("messages", "must end with a user message: it is the task's input");
        Map<String, Object> params = TaskRoutes.params(f);
        TaskCall call = new TaskCall(String.valueOf(last.get("content")), params);
        String name = req.param("name");
        try {
            if (name.equals(Tasks.AUTO)) name = tasks.router().route(call).task();
            TaskDefinition task = TaskRoutes.task(tasks, name);
            Object source = RequestFormats.formatSource(f);
            if (task.output().param() != null && source != null) params.putIfAbsent(task.output().param(), source);
            // The task's token limit fits its own format; with the client's format the server's default applies.
            Integer maxTokens = RequestFormats.asksForFormat(f) ? null : task.sampling().maxTokens();
            OpenAiRequests.Parsed p = OpenAiRequests.generation(f, model, task.sampling().over(SamplingParams.DEFAULTS), maxTokens);
            TaskRunner.Prepared prepared = tasks.runner().prepare(task, call, p.generation(), p.format());
            req.note("task", task.name());
            Response r = answerChat(req, prepared.prompt(), new OpenAiRequests.Parsed(prepared.request(), p.stream(), p.includeUsage(),
                    prepared.format()), null);
            return r.header("X-Edgebox-Task", task.name());
        } catch (TaskException e) {
            throw TaskRoutes.api(e);
        } catch (RuntimeException e) {
            throw model.refused(e); // the router's model stage: a full queue, a shutdown
        }
    }

    private OpenAiJson.ModelCard card(String id) {
        return new OpenAiJson.ModelCard(id, "model", model.info().modified().getEpochSecond(), "edgebox");
    }

    /** The base model, then each adapter as "base:NAME" (a model id any OpenAI client accepts). */
    private Response models(Request req) {
        List<OpenAiJson.ModelCard> cards = new ArrayList<>(List.of(card(model.name())));
        if (model.adapters() != null) for (String a : model.adapters().names()) cards.add(card(ServedAdapters.id(model.name(), a)));
        return Response.json(new OpenAiJson.ModelList("list", cards));
    }

    private Response model(Request req) {
        Fields f = Fields.of(JsonNodeFactory.instance.objectNode().put("model", req.param("id")), "");
        return Response.json(card(model.choose(f).model()));
    }

    private Response chat(Request req) throws Exception {
        Fields f = Fields.body(req);
        ServedAdapters.Choice adapters = model.choose(f);
        var messages = OpenAiRequests.messages(f);
        OpenAiRequests.Parsed p = OpenAiRequests.generation(f, model);
        int[] prompt = model.chatPrompt(messages, OpenAiRequests.templateVariables(f), "messages");
        return answerChat(req, prompt, p, adapters);
    }

    /** Generates a chat answer for a rendered prompt, whole or as server-sent events, with the chosen adapters (null: none). */
    private Response answerChat(Request req, int[] prompt, OpenAiRequests.Parsed p, ServedAdapters.Choice adapters) throws Exception {
        String id = "chatcmpl-" + randomId();
        String modelId = adapters == null ? model.name() : adapters.model();
        note(req, id, modelId, prompt.length, p.stream());
        GenerationJob job = model.generate(prompt, p.generation(), p.format(), adapters, "messages");
        long created = System.currentTimeMillis() / 1000;
        if (!p.stream()) {
            GenerationResult r = Streaming.await(job, model).result();
            String finish = finishReason(req, r, p);
            ChatChoice choice = new ChatChoice(0, new Message("assistant", r.text(), null), null, finish);
            return withAdapters(Response.json(new ChatCompletion(id, "chat.completion", created, modelId, OpenAiJson.FINGERPRINT,
                    List.of(choice), Usage.of(r))), job);
        }
        return withAdapters(Response.stream(200, EventStream.SSE, out -> {
            EventStream sse = EventStream.sse(out);
            sse.send(chunk(id, created, modelId, new Delta("assistant", ""), null));
            Streaming.pump(job, sse, new Streaming.Format() {
                @Override
                public void text(String piece) throws IOException {
                    sse.send(chunk(id, created, modelId, new Delta(null, piece), null));
                }

                @Override
                public void done(GenerationJob.Done done) throws IOException {
                    GenerationResult r = done.result();
                    sse.send(chunk(id, created, modelId, new Delta(null, null), finishReason(req, r, p)));
                    if (p.includeUsage()) {
                        sse.send(new ChatChunk(id, "chat.completion.chunk", created, modelId, OpenAiJson.FINGERPRINT, List.of(), Usage.of(r)));
                    }
                    sse.sendRaw("[DONE]");
                }

                @Override
                public void failed(RuntimeException error) throws IOException {
                    sse.send(model.refused(error).body());
                }
            });
        }).header("Cache-Control", "no-cache"), job);
    }

    private ChatChunk chunk(String id, long created, String modelId, Delta delta, String finish) {
        return new ChatChunk(id, "chat.completion.chunk", created, modelId, OpenAiJson.FINGERPRINT,
                List.of(new ChunkChoice(0, delta, null, finish)), null);
    }

    /** Names the adapter versions the answer runs on ("support@3,style@1"), fixed when the request was accepted. */
    private static Response withAdapters(Response r, GenerationJob job) {
        return job.adapterVersions().isEmpty() ? r : r.header(ADAPTERS_HEADER, String.join(",", job.adapterVersions()));
    }

    private Response completions(Request req) throws Exception {
        Fields f = Fields.body(req);
        ServedAdapters.Choice adapters = model.choose(f);
        if (f.bool("echo", false)) throw f.invalid("echo", "is not supported yet");
        if (f.has("suffix")) throw f.invalid("suffix", "is not supported yet");
        int[] prompt = OpenAiRequests.prompt(f, model);
        OpenAiRequests.Parsed p = OpenAiRequests.generation(f, model);
        String id = "cmpl-" + randomId();
        String modelId = adapters.model();
        note(req, id, modelId, prompt.length, p.stream());
        GenerationJob job = model.generate(prompt, p.generation(), p.format(), adapters, "prompt");
        long created = System.currentTimeMillis() / 1000;
        if (!p.stream()) {
            GenerationResult r = Streaming.await(job, model).result();
            TextChoice choice = new TextChoice(r.text(), 0, null, finishReason(req, r, p));
            return withAdapters(Response.json(new TextCompletion(id, "text_completion", created, modelId, OpenAiJson.FINGERPRINT,
                    List.of(choice), Usage.of(r))), job);
        }
        return withAdapters(Response.stream(200, EventStream.SSE, out -> {
            EventStream sse = EventStream.sse(out);
            Streaming.pump(job, sse, new Streaming.Format() {
                @Override
                public void text(String piece) throws IOException {
                    sse.send(textChunk(id, created, modelId, piece, null, null));
                }

                @Override
                public void done(GenerationJob.Done done) throws IOException {
                    GenerationResult r = done.result();
                    sse.send(textChunk(id, created, modelId, "", finishReason(req, r, p), null));
                    if (p.includeUsage()) {
                        sse.send(new TextCompletion(id, "text_completion", created, modelId, OpenAiJson.FINGERPRINT, List.of(), Usage.of(r)));
                    }
                    sse.sendRaw("[DONE]");
                }

                @Override
                public void failed(RuntimeException error) throws IOException {
                    sse.send(model.refused(error).body());
                }
            });
        }).header("Cache-Control", "no-cache"), job);
    }

    private TextCompletion textChunk(String id, long created, String modelId, String text, String finish, Usage usage) {
        return new TextCompletion(id, "text_completion", created, modelId, OpenAiJson.FINGERPRINT,
                List.of(new TextChoice(text, 0, null, finish)), usage);
    }

    private void note(Request req, String id, String modelId, int promptTokens, boolean stream) {
        req.note("request_id", id);
        req.note("model", modelId);
        req.note("stream", stream);
        req.note("prompt_tokens", promptTokens);
    }

    /** The finish reason the client sees (stop only for an answer that passes the format's check), noted for the access log. */
    private static String finishReason(Request req, GenerationResult r, OpenAiRequests.Parsed p) {
        String finish = OpenAiJson.finishReason(OutputCheck.finishReason(p.format(), r));
        req.note("cached_tokens", r.cachedTokens());
        req.note("completion_tokens", r.tokens().length);
        req.note("finish_reason", finish);
        return finish;
    }

    static String randomId() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
