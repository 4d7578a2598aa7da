package dev.edgebox.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One model of the reference pack (../shared/reference/models/X/X.json) with llama.cpp's outputs:
 * prompt ids, logits of every prompt position, greedy ids and the margins that say which of them
 * are robust. See ../shared/reference/README.md for the format and the tolerances.
 */
public record ReferenceCase(String name, Path json, JsonNode root) {

    /** The tolerance family of a file, after the README's section 4.3. */
    public enum Kind { F32, F16, BF16, QUANTIZED }

    public static List<ReferenceCase> all() {
        Path models = Shared.root().resolve("reference/models");
        if (!Files.isDirectory(models)) return List.of();
        List<ReferenceCase> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(models, 2)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) out.add(load(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static ReferenceCase load(Path json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            return new ReferenceCase(root.get("name").asText(), json, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path model() {
        return json.resolveSibling(root.get("model_file").asText());
    }

    public Kind kind() {
        String n = name.toLowerCase();
        if (n.endsWith("-f32")) return Kind.F32;
        if (n.endsWith("-f16")) return Kind.F16;
        if (n.endsWith("-bf16")) return Kind.BF16;
        return Kind.QUANTIZED;
    }

    public int vocab() {
        return root.get("n_vocab").asInt();
    }

    public int[] promptIds() {
        return ints(root.path("prompt").path("ids"));
    }

    public String promptText() {
        return root.path("prompt").path("text").asText();
    }

    public int[] greedyIds() {
        return ints(root.path("greedy").path("ids"));
    }

    public String greedyText() {
        return root.path("greedy").path("text_llama_detokenize").asText();
    }

    /** llama.cpp's top-1 minus top-2 logit at each greedy step. */
    public double[] greedyMargins() {
        return doubles(root.path("greedy_stats").path("per_step").path("margin_logit"));
    }

    /** llama.cpp's top-1 minus top-2 logit at each prompt position. */
    public double[] promptMargins() {
        return doubles(root.path("stats").path("per_position").path("margin_logit"));
    }

    public int[] promptTop1() {
        return ints(root.path("stats").path("per_position").path("top1_id"));
    }

    public int[] float64GreedyIds() {
        return ints(root.path("float64_reference").path("greedy_ids"));
    }

    public double[] float64GreedyMargins() {
        return doubles(root.path("float64_reference").path("greedy_margin_logit"));
    }

    /** Row-major [prompt length][vocab] logits computed by llama.cpp. */
    public float[] logits() {
        Path f = json.resolveSibling(root.path("logits").path("file").asText());
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).asInt();
        return a;
    }

    private static double[] doubles(JsonNode n) {
        double[] a = new double[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).asDouble();
        return a;
    }

    @Override
    public String toString() {
        return name;
    }
}
