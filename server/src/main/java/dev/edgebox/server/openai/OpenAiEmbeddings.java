package dev.edgebox.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.inference.ServedModel;
import dev.edgebox.server.scheduler.EmbeddingJob;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /v1/embeddings}: one vector per input, mean-pooled from the loaded model's final
 * hidden states and L2-normalized. Inputs: a string, an array of strings, an array of token ids or
 * an array of such arrays. {@code encoding_format} "float" (default) or "base64" (little-endian
 * float32, what the official SDKs ask for). Inputs longer than the context are refused.
 */
final class OpenAiEmbeddings {
    private static final int MAX_INPUTS = 2048;

    private final ServedModel model;

    OpenAiEmbeddings(ServedModel model) {
        this.model = model;
    }

    Response handle(Request req) throws Exception {
        Fields f = Fields.body(req);
        model.checkModel(f.optString("model", null), "model");
        String format = f.optString("encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) throw f.invalid("encoding_format", "must be 'float' or 'base64', got '" + format + "'");
        Integer dimensions = f.optInt("dimensions", 1, Integer.MAX_VALUE);
        int dim = model.info().embeddingLength();
        if (dimensions != null && dimensions != dim) {
            throw f.invalid("dimensions", "must be " + dim + " for this model (it cannot shorten its embeddings), got " + dimensions);
        }
        List<int[]> inputs = inputs(f);
        req.note("model", model.name());
        req.note("inputs", inputs.size());
        EmbeddingJob job = model.embed(inputs);
        List<float[]> vectors;
        try {
            vectors = job.result().get();
        } catch (ExecutionException e) {
            throw model.refused(e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause()));
        } finally {
            job.cancel();
        }
        List<OpenAiJson.Embedding> data = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new OpenAiJson.Embedding("embedding", i, format.equals("base64") ? base64(vectors.get(i)) : vectors.get(i)));
        }
        int tokens = job.tokens();
        req.note("prompt_tokens", tokens);
        return Response.json(new OpenAiJson.EmbeddingList("list", data, model.name(), new OpenAiJson.EmbeddingUsage(tokens, tokens)));
    }

    private List<int[]> inputs(Fields f) {
        JsonNode in = f.get("input");
        if (in == null) throw f.invalid("input", "is required: a string or an array of strings");
        List<int[]> out = new ArrayList<>();
        if (in.isTextual()) {
            out.add(model.embeddingInput(in.asText(), false, "input"));
            return out;
        }
        if (!in.isArray()) throw f.invalid("input", "must be a string, an array of strings, or token ids; got " + Fields.kind(in));
        if (in.isEmpty()) throw f.invalid("input", "is an empty array; send at least one input");
        if (in.size() > MAX_INPUTS) throw f.invalid("input", "holds " + in.size() + " inputs; at most " + MAX_INPUTS + " per request");
        if (in.get(0).isIntegralNumber()) {
            out.add(tokens(f, in, "input"));
            return out;
        }
        for (int i = 0; i < in.size(); i++) {
            JsonNode e = in.get(i);
            String path = "input[" + i + "]";
            if (e.isTextual()) out.add(model.embeddingInput(e.asText(), false, path));
            else if (e.isArray()) out.add(tokens(f, e, path));
            else throw f.invalid("input", "must hold strings or arrays of token ids; " + path + " is " + Fields.kind(e));
        }
        return out;
    }

    private int[] tokens(Fields f, JsonNode array, String path) {
        if (array.isEmpty()) throw f.invalid("input", path + " is an empty array of token ids");
        int[] ids = model.tokenIds(OpenAiRequests.ids(f, "input", array, path), path);
        if (ids.length > model.contextLength()) {
            throw f.invalid("input", path + " has " + ids.length + " tokens but the context holds " + model.contextLength());
        }
        return ids;
    }

    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
