package dev.edgebox.server.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Json;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.inference.ServedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks over HTTP:
 * <pre>
 * GET  /v1/tasks              the tasks (and task files that did not load)
 * GET  /v1/tasks/{name}       one task's definition
 * POST /v1/tasks/{name}       {input, params} -> {task, output, raw, finish_reason, usage, latency_ms}; "auto" routes first
 * POST /v1/tasks              {task, input, params}: the same with the task in the body (default "auto")
 * POST /v1/route              {input, params} -> the router's decision only
 * </pre>
 * The OpenAI-style {@code POST /v1/tasks/{name}/chat/completions} lives with the OpenAI routes.
 * Errors are OpenAI-shaped: 404 for an unknown task, 400 naming the field.
 */
public final class TaskRoutes {
    private final Tasks tasks;
    private final ServedModel model;

    public TaskRoutes(Tasks tasks, ServedModel model) {
        this.tasks = tasks;
        this.model = model;
    }

    public Router register(Router r) {
        return r.get("/v1/tasks", this::list)
                .get("/v1/tasks/{name}", this::show)
                .post("/v1/tasks", req -> run(req, null))
                .post("/v1/tasks/{name}", req -> run(req, req.param("name")))
                .post("/v1/route", this::route);
    }

    private Response list(Request req) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (TaskDefinition t : tasks.registry().list()) data.add(summary(t));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("errors", tasks.registry().errors());
        return Response.json(body);
    }

    private Response show(Request req) {
        TaskDefinition t = task(tasks, req.param("name"));
        Map<String, Object> m = summary(t);
        m.put("system", t.system());
        m.put("template", t.template());
        List<Map<String, String>> examples = new ArrayList<>();
        for (TaskDefinition.Example e : t.examples()) examples.add(Map.of("input", e.input(), "output", e.output()));
        m.put("examples", examples);
        Map<String, Object> sampling = new LinkedHashMap<>();
        TaskSampling s = t.sampling();
        putIf(sampling, "temperature", s.temperature());
        putIf(sampling, "top_k", s.topK());
        putIf(sampling, "top_p", s.topP());
        putIf(sampling, "min_p", s.minP());
        putIf(sampling, "repeat_penalty", s.repeatPenalty());
        putIf(sampling, "seed", s.seed());
        putIf(sampling, "max_tokens", s.maxTokens());
        m.put("sampling", sampling);
        m.put("route", Map.of("keywords", t.route().keywords(), "patterns", t.route().patterns().stream().map(p -> p.pattern()).toList(),
                "routable", t.route().routable()));
        return Response.json(m);
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) m.put(key, v);
    }

    static Map<String, Object> summary(TaskDefinition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("description", t.description());
        Map<String, Object> out = new LinkedHashMap<>();
        OutputSpec o = t.output();
        out.put("type", o.kind().apiName());
        if (o.param() != null) out.put("param", o.param());
        if (o.choices() != null) out.put("choices", o.choices());
        if (o.kind() == OutputSpec.Kind.SCHEMA && o.text() != null) out.put("schema", readJson(o.text()));
        if ((o.kind() == OutputSpec.Kind.REGEX || o.kind() == OutputSpec.Kind.GRAMMAR) && o.text() != null) out.put(o.kind().apiName(), o.text());
        m.put("output", out);
        m.put("variables", t.variables());
        m.put("examples", t.examples().size());
        m.put("source", t.source());
        return m;
    }

    private Response run(Request req, String pathName) throws Exception {
        Fields f = Fields.body(req);
        String name = pathName != null ? pathName : f.optString("task", Tasks.AUTO);
        TaskCall call = call(f);
        req.note("task", name);
        Tasks.Outcome o;
        try {
            o = tasks.run(name, call);
        } catch (TaskException e) {
            throw api(e);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw model.refused(e);
        }
        TaskResult r = o.result();
        req.note("prompt_tokens", r.promptTokens());
        req.note("completion_tokens", r.completionTokens());
        req.note("finish_reason", r.finishReason());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", r.task());
        body.put("output", r.output());
        body.put("raw", r.raw());
        body.put("finish_reason", r.finishReason());
        if (r.error() != null) body.put("error", r.error());
        body.put("usage", Map.of("prompt_tokens", r.promptTokens(), "completion_tokens", r.completionTokens(),
                "total_tokens", r.promptTokens() + r.completionTokens()));
        body.put("latency_ms", r.latencyMillis());
        if (o.route() != null) body.put("route", decision(o.route()));
        return Response.json(body);
    }

    private Response route(Request req) throws Exception {
        Fields f = Fields.body(req);
        TaskCall call = call(f);
        long start = System.nanoTime();
        TaskRouter.Decision d;
        try {
            d = tasks.router().route(call);
        } catch (TaskException e) {
            throw api(e);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw model.refused(e);
        }
        Map<String, Object> body = decision(d);
        body.put("latency_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
        return Response.json(body);
    }

    static Map<String, Object> decision(TaskRouter.Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", d.task());
        m.put("stage", d.stage());
        if (d.matched() != null) m.put("matched", d.matched());
        if (d.raw() != null) m.put("raw", d.raw());
        m.put("candidates", d.candidates());
        return m;
    }

    /** {input, params} of a request body. */
    static TaskCall call(Fields f) {
        return new TaskCall(f.string("input"), params(f));
    }

    /** The "params" object as plain values (String, Number, Boolean, List, Map). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> params(Fields f) {
        Fields p = f.optObject("params");
        if (p == null) return new LinkedHashMap<>();
        return new LinkedHashMap<>(Json.MAPPER.convertValue(p.raw(), Map.class));
    }

    /** The task of that name, or a 404. */
    public static TaskDefinition task(Tasks tasks, String name) {
        try {
            return tasks.registry().get(name);
        } catch (TaskException e) {
            throw api(e);
        }
    }

    /** A task error as the API's error. */
    public static ApiException api(TaskException e) {
        return new ApiException(e.status(), e.getMessage(), "invalid_request_error", e.param(), e.code());
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
