package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraFixtures.LLAMA;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2_DEEP;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2_NARROW;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.LoraFixtures.Pair;
import dev.edgebox.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every adapter we cannot run correctly is refused with one line naming the problem. */
class LoraErrorsTest {
    @TempDir
    Path tmp;

    static final ModelConfig BASE = LoraFixtures.config(QWEN2);

    static void assertOneLine(Runnable r, String... fragments) {
        EngineException e = assertThrows(EngineException.class, r::run);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line expected: " + m);
        for (String f : fragments) assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
    }

    Path peft(String name, List<Pair> pairs, String config) throws IOException {
        Path dir = tmp.resolve(name);
        LoraFixtures.writePeft(dir, pairs, config, Safetensors.Dtype.F32);
        return dir;
    }

    @Test
    void adapterForAnotherBase() throws IOException {
        List<Pair> narrow = LoraFixtures.randomPairs(QWEN2_NARROW, 4, 1, LoraTarget.Q, LoraTarget.V);
        Path a = peft("narrow", narrow, LoraFixtures.peftConfig(4, 8, "q_proj", "v_proj"));
        assertOneLine(() -> LoraFiles.load(a, "narrow", BASE), "maps 96 -> 96", "maps 128 -> 128", "another base model");

        List<Pair> deep = LoraFixtures.randomPairs(QWEN2_DEEP, 4, 2, LoraTarget.Q);
        Path b = peft("deep", deep, LoraFixtures.peftConfig(4, 8, "q_proj"));
        assertOneLine(() -> LoraFiles.load(b, "deep", BASE), "layer 2", "model has 2 layers", "another base model");

        List<Pair> shallow = LoraFixtures.randomPairs(QWEN2, 4, 3, LoraTarget.Q).stream().filter(p -> p.layer() == 0).toList();
        Path c = peft("shallow", shallow, LoraFixtures.peftConfig(4, 8, "q_proj"));
        assertOneLine(() -> LoraFiles.load(c, "shallow", BASE), "q_proj in 1 of the model's 2 layers", "another base model");

        Path d = tmp.resolve("llama.gguf");
        LoraFixtures.writeGguf(d, LLAMA.arch(), LoraFixtures.randomPairs(LLAMA, 4, 4, LoraTarget.Q), 4);
        assertOneLine(() -> LoraFiles.load(d, "llama", BASE), "architecture 'llama'", "the model is qwen2");
    }

    @Test
    void layersToTransformAllowsPartialCoverage() throws IOException {
        List<Pair> shallow = LoraFixtures.randomPairs(QWEN2, 4, 3, LoraTarget.Q).stream().filter(p -> p.layer() == 1).toList();
        String config = LoraFixtures.peftConfig(4, 8, "q_proj").replace("\"r\":", "\"layers_to_transform\": [1], \"r\":");
        LoraAdapter a = LoraFiles.load(peft("partial", shallow, config), "partial", BASE);
        assertTrue(a.pair(0, LoraTarget.Q) == null && a.pair(1, LoraTarget.Q) != null);
    }

    @Test
    void missingTensors() throws IOException {
        List<Pair> pairs = LoraFixtures.randomPairs(QWEN2, 4, 5, LoraTarget.Q);
        Path dir = tmp.resolve("half");
        SafetensorsWriter w = new SafetensorsWriter();
        for (Pair p : pairs) {
            w.add("base_model.model." + p.module() + ".lora_A.weight", Safetensors.Dtype.F32, new long[] {p.rank(), p.in()}, p.a());
            if (p.layer() == 0) w.add("base_model.model." + p.module() + ".lora_B.weight", Safetensors.Dtype.F32, new long[] {p.out(), p.rank()}, p.b());
        }
        Files.createDirectories(dir);
        w.write(dir.resolve("adapter_model.safetensors"));
        Files.writeString(dir.resolve("adapter_config.json"), LoraFixtures.peftConfig(4, 8, "q_proj"));
        assertOneLine(() -> LoraFiles.load(dir, "half", BASE), "model.layers.1.self_attn.q_proj has lora_A but no lora_B");

        Path listed = peft("listed", pairs, LoraFixtures.peftConfig(4, 8, "q_proj", "v_proj"));
        assertOneLine(() -> LoraFiles.load(listed, "listed", BASE), "has no v_proj tensors", "target_modules");

        Path noWeights = Files.createDirectories(tmp.resolve("noweights"));
        Files.writeString(noWeights.resolve("adapter_config.json"), LoraFixtures.peftConfig(4, 8, "q_proj"));
        assertOneLine(() -> LoraFiles.load(noWeights, "x", BASE), "no adapter_model.safetensors");
        Files.write(noWeights.resolve("adapter_model.bin"), new byte[] {1, 2, 3});
        assertOneLine(() -> LoraFiles.load(noWeights, "x", BASE), "adapter_model.bin", "safe_serialization");

        Path gguf = tmp.resolve("halfb.gguf");
        LoraFixtures.writeGguf(gguf, QWEN2.arch(), pairs, 4);
        // drop one lora_b by writing a second file without it
        var writer = new dev.edgebox.engine.gguf.GgufWriter();
        try (var f = dev.edgebox.engine.gguf.GgufFile.open(gguf)) {
            writer.putAll(f.metadata());
            for (var t : f.tensorList()) {
                if (t.name().equals("blk.1.attn_q.weight.lora_b")) continue;
                byte[] bytes = t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                writer.addTensor(t.name(), t.type(), t.dims(), bytes);
            }
        }
        Path broken = tmp.resolve("broken.gguf");
        writer.write(broken);
        assertOneLine(() -> LoraFiles.load(broken, "b", BASE), "blk.1.attn_q.weight has lora_a but no lora_b");

        assertOneLine(() -> LoraFiles.load(tmp.resolve("nowhere"), "n", BASE), "adapter not found");
    }

    @Test
    void unsupportedVariants() throws IOException {
        List<Pair> pairs = LoraFixtures.randomPairs(QWEN2, 4, 6, LoraTarget.Q);
        String dora = LoraFixtures.peftConfig(4, 8, "q_proj").replace("\"use_dora\": false", "\"use_dora\": true");
        assertOneLine(() -> LoraFiles.load(dirOrThrow("dora", pairs, dora), "d", BASE), "DoRA", "use_dora");

        String ia3 = LoraFixtures.peftConfig(4, 8, "q_proj").replace("\"LORA\"", "\"IA3\"");
        assertOneLine(() -> LoraFiles.load(dirOrThrow("ia3", pairs, ia3), "i", BASE), "peft_type 'IA3' is not supported");

        // A DoRA magnitude vector in the weights, even with a config that does not say so.
        assertOneLine(() -> LoraFiles.load(extraTensor("mag", pairs, "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector"), "m", BASE),
                "DoRA");
        assertOneLine(() -> LoraFiles.load(extraTensor("emb", pairs, "base_model.model.model.embed_tokens.lora_embedding_A"), "e", BASE),
                "token embeddings");
        assertOneLine(() -> LoraFiles.load(extraTensor("head", pairs, "base_model.model.lm_head.lora_A.weight"), "h", BASE), "lm_head");
        assertOneLine(() -> LoraFiles.load(extraTensor("bias", pairs, "base_model.model.model.layers.0.self_attn.q_proj.lora_B.bias"), "b", BASE),
                "bias");
        assertOneLine(() -> LoraFiles.load(extraTensor("other", pairs, "base_model.model.model.layers.0.self_attn.rotary.lora_A.weight"), "o", BASE),
                "rotary", "q_proj, k_proj");

        String wrongRank = LoraFixtures.peftConfig(8, 8, "q_proj");
        assertOneLine(() -> LoraFiles.load(dirOrThrow("rank", pairs, wrongRank), "r", BASE), "has rank 4 but adapter_config.json says 8");

        assertOneLine(() -> LoraFiles.load(dirOrThrow("badjson", pairs, "{\"r\": 4,"), "j", BASE), "adapter_config.json is not valid JSON");
        assertOneLine(() -> LoraFiles.load(dirOrThrow("dupjson", pairs, LoraFixtures.peftConfig(4, 8, "q_proj").replaceFirst("\\{", "{\"r\": 4, ")),
                "d", BASE), "adapter_config.json is not valid JSON", "duplicate key \"r\"");

        Path model = LoraFixtures.base(tmp, QWEN2, "f32");
        assertOneLine(() -> LoraFiles.load(model, "model", BASE), "is a model, not a LoRA adapter");
    }

    @Test
    void corruptSafetensors() throws IOException {
        List<Pair> pairs = LoraFixtures.randomPairs(QWEN2, 4, 7, LoraTarget.Q);
        Path good = peft("good", pairs, LoraFixtures.peftConfig(4, 8, "q_proj"));
        byte[] bytes = Files.readAllBytes(good.resolve("adapter_model.safetensors"));
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

        assertCorrupt("truncated", pairs, Arrays.copyOf(bytes, bytes.length - 100), "data_offsets");
        assertCorrupt("short", pairs, Arrays.copyOf(bytes, 5), "shorter than the 8-byte header length");
        byte[] huge = bytes.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertCorrupt("huge", pairs, huge, "header length");
        byte[] badJson = bytes.clone();
        badJson[8] = '[';
        assertCorrupt("json", pairs, badJson, "header");
        byte[] badHeader = bytes.clone();
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        String changed = header.replaceFirst("\"F32\"", "\"I64\"");
        System.arraycopy(changed.getBytes(StandardCharsets.UTF_8), 0, badHeader, 8, (int) headerLen);
        assertCorrupt("dtype", pairs, badHeader, "dtype 'I64'");
        byte[] badShape = bytes.clone();
        String shape = header.replaceFirst("\"shape\":\\[4,", "\"shape\":[5,");
        System.arraycopy(shape.getBytes(StandardCharsets.UTF_8), 0, badShape, 8, (int) headerLen);
        assertCorrupt("shape", pairs, badShape, "data_offsets span");
    }

    private void assertCorrupt(String name, List<Pair> pairs, byte[] content, String fragment) throws IOException {
        Path dir = peft(name, pairs, LoraFixtures.peftConfig(4, 8, "q_proj"));
        Files.write(dir.resolve("adapter_model.safetensors"), content);
        assertOneLine(() -> LoraFiles.load(dir, name, BASE), "adapter_model.safetensors", fragment);
        // The store refuses it too, before copying anything in.
        AdapterStore store = new AdapterStore(tmp.resolve("store-" + name));
        assertOneLine(() -> store.add(name, dir), fragment);
        assertTrue(store.list().isEmpty());
    }

    private Path dirOrThrow(String name, List<Pair> pairs, String config) {
        try {
            return peft(name, pairs, config);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private Path extraTensor(String name, List<Pair> pairs, String tensor) {
        try {
            Path dir = tmp.resolve(name);
            Files.createDirectories(dir);
            SafetensorsWriter w = new SafetensorsWriter();
            for (Pair p : pairs) {
                w.add("base_model.model." + p.module() + ".lora_A.weight", Safetensors.Dtype.F32, new long[] {p.rank(), p.in()}, p.a());
                w.add("base_model.model." + p.module() + ".lora_B.weight", Safetensors.Dtype.F32, new long[] {p.out(), p.rank()}, p.b());
            }
            w.add(tensor, Safetensors.Dtype.F32, new long[] {4}, new float[4]);
            w.write(dir.resolve("adapter_model.safetensors"));
            Files.writeString(dir.resolve("adapter_config.json"), LoraFixtures.peftConfig(4, 8, "q_proj"));
            return dir;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void adapterSpecs() {
        assertTrue(AdapterSpec.parse("dir/a:0.5").equals(new AdapterSpec(null, "dir/a", 0.5f)));
        assertTrue(AdapterSpec.parse("C:\\x\\a").equals(new AdapterSpec(null, "C:\\x\\a", 1f)));
        assertTrue(AdapterSpec.parse("sup=dir/a:-1e-1").equals(new AdapterSpec("sup", "dir/a", -0.1f)));
        assertTrue(AdapterSpec.parse("a.gguf").equals(new AdapterSpec(null, "a.gguf", 1f)));
        assertOneLine(() -> AdapterSpec.parse(":2"), "names no path");
        assertOneLine(() -> AdapterSpec.requireValidName("../x"), "not valid");
        List<String> bad = new ArrayList<>(List.of("", "a/b", "-a", "a b"));
        for (String s : bad) assertFalse(AdapterSpec.validName(s), s);
    }
}
