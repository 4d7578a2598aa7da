package dev.edgebox.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    Path model() throws Exception {
        Path m = dir.resolve("models/my-model.gguf");
        Files.createDirectories(m.getParent());
        Files.write(m, new byte[] {1});
        return m;
    }

    Path yaml(String text) throws Exception {
        Path f = dir.resolve("edgebox.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void everyKeyFromTheFileWithFlagsWinning() throws Exception {
        model();
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "# ops team\nkey-one\n\nkey-two\n");
        Path file = yaml("""
                model: models/my-model.gguf
                model-name: assistant
                host: 0.0.0.0
                port: 9000
                parallel: 8
                ctx: 2048
                threads: 3
                batch: 32
                kv-type: f32
                max-tokens: 256
                queue-size: 5
                request-timeout: 90s
                shutdown-timeout: 2m
                max-body: 1m
                memory-budget: 1.5g
                api-keys: [inline-key]
                api-keys-file: keys.txt
                access-log: off
                """);
        Map<String, Object> flags = new HashMap<>();
        flags.put("port", 9100);
        flags.put("parallel", null); // not given on the command line
        ServeConfig c = ConfigLoader.load(file, flags);
        assertEquals(dir.resolve("models/my-model.gguf").toAbsolutePath(), c.model().toAbsolutePath());
        assertEquals("assistant", c.servedName());
        assertEquals("0.0.0.0", c.host());
        assertEquals(9100, c.port());
        assertEquals(8, c.parallel());
        assertEquals(2048, c.ctx());
        assertEquals(3, c.threads());
        assertEquals(32, c.batch());
        assertEquals(KvCache.Type.F32, c.kvType());
        assertEquals(256, c.maxTokens());
        assertEquals(5, c.queueSize());
        assertEquals(Duration.ofSeconds(90), c.requestTimeout());
        assertEquals(Duration.ofMinutes(2), c.shutdownTimeout());
        assertEquals(1L << 20, c.maxBodyBytes());
        assertEquals((long) (1.5 * (1L << 30)), c.memoryBudget());
        assertEquals(List.of("inline-key", "key-one", "key-two"), c.apiKeys());
        assertEquals("off", c.accessLog());
    }

    @Test
    void defaultsAndTheServedName() throws Exception {
        ServeConfig c = ConfigLoader.from(Map.of("model", model().toString()));
        assertEquals("my-model", c.servedName());
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(4, c.parallel());
        assertEquals(KvCache.Type.F16, c.kvType());
        assertEquals(List.of(), c.apiKeys());
    }

    @Test
    void badValuesAreNamed() throws Exception {
        String m = model().toString();
        assertEquals("port must be between 0 and 65535, got 70000",
                assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "port", 70000))).getMessage());
        assertEquals("parallel must be a whole number, got 'many'",
                assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "parallel", "many"))).getMessage());
        assertEquals("kv-type must be f16 or f32, got 'q8'",
                assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "kv-type", "q8"))).getMessage());
        assertTrue(assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "request-timeout", "soon"))).getMessage()
                .startsWith("request-timeout must be a duration"));
        assertTrue(assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "max-body", "big"))).getMessage()
                .startsWith("max-body must be a size"));
        assertTrue(assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", m, "parallel", 80, "batch", 64))).getMessage()
                .startsWith("parallel (80) must not exceed batch (64)"));
        assertEquals("no model given: pass -m FILE.gguf or set 'model' in the config file",
                assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of())).getMessage());
        assertTrue(assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", dir.resolve("nope.gguf").toString())))
                .getMessage().endsWith("does not exist"));
    }

    @Test
    void unknownKeysAndBrokenYamlAreRefused() throws Exception {
        model();
        EngineException unknown = assertThrows(EngineException.class, () -> ConfigLoader.load(yaml("model: models/my-model.gguf\nslots: 4\n"), Map.of()));
        assertTrue(unknown.getMessage().contains("unknown key 'slots'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("parallel"), unknown.getMessage());
        EngineException broken = assertThrows(EngineException.class, () -> ConfigLoader.load(yaml("model: [unclosed\n"), Map.of()));
        assertTrue(broken.getMessage().contains("is not valid YAML"), broken.getMessage());
        EngineException list = assertThrows(EngineException.class, () -> ConfigLoader.load(yaml("- model\n"), Map.of()));
        assertTrue(list.getMessage().contains("must be a mapping"), list.getMessage());
    }

    @Test
    void adapterDirAndLorasFromTheFileAreRelativeToIt() throws Exception {
        model();
        Files.createDirectories(dir.resolve("adapters/support"));
        Path file = yaml("""
                model: models/my-model.gguf
                adapter-dir: store
                lora: [style=adapters/support:0.5, stored-one:2, adapters/support]
                """);
        ServeConfig c = ConfigLoader.load(file, Map.of());
        assertEquals(dir.resolve("store").toAbsolutePath(), c.adapterDir().toAbsolutePath());
        Path support = dir.resolve("adapters/support").toAbsolutePath();
        assertEquals(List.of("style=" + support + ":0.5", "stored-one:2", support.toString()), c.loras());
        // Flags win, and off means no store.
        Map<String, Object> flags = new HashMap<>();
        flags.put("adapter-dir", "off");
        flags.put("lora", List.of("a=x"));
        ServeConfig off = ConfigLoader.load(file, flags);
        assertEquals(null, off.adapterDir());
        assertEquals(List.of("a=x"), off.loras());
        // YAML reads a bare off as false.
        assertEquals(null, ConfigLoader.load(yaml("model: models/my-model.gguf\nadapter-dir: off\n"), Map.of()).adapterDir());
        ServeConfig defaults = ConfigLoader.from(Map.of("model", model().toString()));
        assertEquals(dev.edgebox.engine.lora.AdapterStore.defaultRoot(), defaults.adapterDir());
        assertEquals(List.of(), defaults.loras());
        EngineException bad = assertThrows(EngineException.class, () -> ConfigLoader.from(Map.of("model", model().toString(), "lora", "name=")));
        assertTrue(bad.getMessage().contains("names no path or adapter"), bad.getMessage());
    }

    @Test
    void theMemoryBudgetCoversEverySlotAtFullContext() throws Exception {
        ModelConfig qwen05 = new ModelConfig(Architecture.QWEN2, 151936, 896, 24, 14, 2, 64, 4864, 32768, 1e-6f, 1e6f, 64, 1f, true);
        // 24 layers x 128 kv floats x 2 (k and v) x 2 bytes = 12 KiB per token.
        assertEquals(12288, ServeConfig.kvBytesPerToken(qwen05, KvCache.Type.F16));
        ServeConfig fits = ConfigLoader.from(Map.of("model", model().toString(), "parallel", 4, "memory-budget", "256m"));
        fits.checkMemory(qwen05, 4096); // 5 x 4096 x 12 KiB = 240 MiB
        ServeConfig tight = ConfigLoader.from(Map.of("model", model().toString(), "parallel", 8, "memory-budget", "256m"));
        EngineException e = assertThrows(EngineException.class, () -> tight.checkMemory(qwen05, 4096));
        assertTrue(e.getMessage().startsWith("the KV caches need up to 432.0 MiB (8 slots + 1 for embeddings x 4096 tokens x 12.0 KiB)"), e.getMessage());
    }
}
