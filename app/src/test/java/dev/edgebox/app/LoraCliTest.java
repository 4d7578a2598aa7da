package dev.edgebox.app;

import static dev.edgebox.app.CliTest.assertOneLineError;
import static dev.edgebox.app.CliTest.edgebox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.app.CliTest.Result;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.lora.LoraAdapter;
import dev.edgebox.engine.lora.LoraGgufWriter;
import dev.edgebox.engine.lora.LoraPair;
import dev.edgebox.engine.lora.LoraTarget;
import dev.edgebox.engine.lora.PeftWriter;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.QuantMix;
import dev.edgebox.engine.model.SyntheticModel;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --lora on run and logits, and the lora list/add/remove/rollback/merge/export commands. */
class LoraCliTest {
    @TempDir
    static Path tmp;
    static Path base, wide, peft, gguf, otherBase;
    static final String TOKENS = "1,17,42,99,3,250,7,8";

    static final SyntheticModel.Shape LLAMA =
            new SyntheticModel.Shape("cli-llama", Architecture.LLAMA, 300, 64, 2, 2, 1, 32, 160, 256, 1e4f, 1e-5f, false, false);
    static final SyntheticModel.Shape WIDER =
            new SyntheticModel.Shape("cli-llama-wide", Architecture.LLAMA, 300, 96, 2, 3, 1, 32, 160, 256, 1e4f, 1e-5f, false, false);

    @BeforeAll
    static void fixtures() throws IOException {
        base = tmp.resolve("base.gguf");
        new SyntheticModel(LLAMA, QuantMix.parse("f32"), 5, null).write(base, 1, p -> {});
        otherBase = tmp.resolve("wide.gguf");
        new SyntheticModel(WIDER, QuantMix.parse("f32"), 5, null).write(otherBase, 1, p -> {});
        try (GgufFile f = GgufFile.open(base)) {
            ModelConfig c = ModelConfig.from(f);
            peft = tmp.resolve("peft-a");
            PeftWriter.write(randomAdapter(c, 8, 1, "a"), c, peft);
            gguf = tmp.resolve("b.gguf");
            LoraGgufWriter.write(randomAdapter(c, 4, 2, "b"), gguf);
        }
        try (GgufFile f = GgufFile.open(otherBase)) {
            ModelConfig c = ModelConfig.from(f);
            wide = tmp.resolve("peft-wide");
            PeftWriter.write(randomAdapter(c, 4, 3, "w"), c, wide);
        }
    }

    static LoraAdapter randomAdapter(ModelConfig c, int rank, long seed, String name) {
        SplittableRandom rnd = new SplittableRandom(seed);
        LoraAdapter.Builder b = LoraAdapter.builder(name, LoraAdapter.Format.MEMORY, null, c);
        for (int l = 0; l < c.layers(); l++) {
            for (LoraTarget t : LoraTarget.values()) {
                int in = t.in(c), out = t.out(c);
                float[] a = new float[rank * in], bm = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
                for (int i = 0; i < bm.length; i++) bm[i] = (float) (rnd.nextGaussian() * 0.3 / Math.sqrt(rank));
                b.put(l, t, LoraPair.fromAB(a, bm, rank, in, out, 2f), t + " " + l);
            }
        }
        return b.build();
    }

    static float[] logits(String... extra) throws IOException {
        Path out = Files.createTempFile(tmp, "logits", ".f32");
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"logits", "--tokens", TOKENS, "--out", out.toString(), "-m"}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        Result r = edgebox(args);
        assertEquals(0, r.code(), r.err());
        byte[] bytes = Files.readAllBytes(out);
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void logitsWithAdaptersEqualTheMergedModel() throws IOException {
        float[] plain = logits(base.toString());
        float[] adapted = logits(base.toString(), "--lora", peft + ":0.5", "--lora", gguf.toString());
        assertTrue(maxDiff(plain, adapted) > 0.05 * maxAbs(plain), "the adapters change the logits");

        Path merged = tmp.resolve("merged.gguf");
        Result m = edgebox("lora", "merge", "-m", base.toString(), "--lora", peft + ":0.5", "--lora", gguf.toString(), "--out", merged.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("14 weights merged"), m.out());
        float[] fromMerged = logits(merged.toString());
        assertTrue(maxDiff(adapted, fromMerged) < 1e-5 * maxAbs(adapted), "merged vs --lora: " + maxDiff(adapted, fromMerged));

        Path q8 = tmp.resolve("merged-q8.gguf");
        assertEquals(0, edgebox("lora", "merge", "-m", base.toString(), "--lora", peft.toString(), "--out", q8.toString(), "--type", "q8_0").code());
        try (GgufFile f = GgufFile.open(q8)) {
            assertEquals(GgmlType.Q8_0, f.tensor("blk.1.ffn_down.weight").type());
        }
    }

    @Test
    void exportedGgufRunsLikeThePeftDirectory() throws IOException {
        Path out = tmp.resolve("exported.gguf");
        Result r = edgebox("lora", "export", "-m", base.toString(), "--lora", peft.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        float[] a = logits(base.toString(), "--lora", peft.toString());
        float[] b = logits(base.toString(), "--lora", out.toString());
        assertTrue(maxDiff(a, b) < 1e-5 * maxAbs(a));
    }

    @Test
    void runWithAdapters() {
        Result r = edgebox("run", "-m", base.toString(), "-p", "hi", "-n", "4", "--temp", "0", "--lora", peft.toString(), "--lora", gguf + ":-0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("adapter peft-a (peft, q,k,v,o,gate,up,down rank 8"), r.err());
        assertTrue(r.err().contains("adapter b (gguf"), r.err());
    }

    @Test
    void storeCommands() throws IOException {
        Path dir = tmp.resolve("store");
        Result add1 = edgebox("lora", "--dir", dir.toString(), "add", "support", peft.toString(), "-m", base.toString());
        assertEquals(0, add1.code(), add1.err());
        assertTrue(add1.out().contains("stored support v1"), add1.out());
        assertEquals(0, edgebox("lora", "--dir", dir.toString(), "add", "support", gguf.toString()).code());
        Result list = edgebox("lora", "--dir", dir.toString(), "list");
        assertTrue(list.out().contains("support") && list.out().contains("v1 *v2"), list.out());
        Result json = edgebox("lora", "--dir", dir.toString(), "list", "--json");
        assertTrue(json.out().contains("\"name\":\"support\",\"current\":2"), json.out());

        // A stored adapter is usable by name, at its current version.
        float[] byName = logits(base.toString(), "--adapter-dir", dir.toString(), "--lora", "support");
        float[] byPath = logits(base.toString(), "--lora", gguf.toString());
        assertEquals(0, maxDiff(byName, byPath));

        Result back = edgebox("lora", "--dir", dir.toString(), "rollback", "support");
        assertTrue(back.out().contains("support is now at v1"), back.out());
        float[] rolledBack = logits(base.toString(), "--adapter-dir", dir.toString(), "--lora", "support");
        assertEquals(0, maxDiff(rolledBack, logits(base.toString(), "--lora", peft.toString())));
        assertOneLineError(edgebox("lora", "--dir", dir.toString(), "rollback", "support"), "no version before v1");
        assertOneLineError(edgebox("lora", "--dir", dir.toString(), "remove", "support", "--version", "1"), "current version");
        assertEquals(0, edgebox("lora", "--dir", dir.toString(), "remove", "support", "--version", "2").code());
        assertEquals(0, edgebox("lora", "--dir", dir.toString(), "remove", "support").code());
        assertTrue(edgebox("lora", "--dir", dir.toString(), "list").out().contains("no adapters"));
    }

    @Test
    void badAdaptersAreOneLineErrors() {
        assertOneLineError(edgebox("logits", "-m", base.toString(), "--tokens", TOKENS, "--out", tmp.resolve("x").toString(),
                "--lora", tmp.resolve("missing").toString()), "adapter not found");
        assertOneLineError(edgebox("run", "-m", base.toString(), "-p", "hi", "--lora", wide.toString()), "another base model");
        Path dir = tmp.resolve("store-bad");
        Result r = edgebox("lora", "--dir", dir.toString(), "add", "wide", wide.toString(), "-m", base.toString());
        assertOneLineError(r, "another base model");
        assertFalse(Files.exists(dir.resolve("wide")), "nothing stored");
        assertOneLineError(edgebox("lora", "--dir", dir.toString(), "add", "../x", peft.toString()), "not valid");
        assertOneLineError(edgebox("lora", "merge", "-m", base.toString(), "--out", tmp.resolve("m.gguf").toString()), "nothing to merge");
        assertOneLineError(edgebox("lora", "merge", "-m", base.toString(), "--lora", peft.toString(), "--out",
                tmp.resolve("m.gguf").toString(), "--type", "q9"), "unknown --type 'q9'");
        assertOneLineError(edgebox("lora", "merge", "-m", otherBase.toString(), "--lora", peft.toString(), "--out",
                tmp.resolve("m.gguf").toString()), "another base model");
        assertOneLineError(edgebox("run", "-m", gguf.toString(), "-p", "hi"), "not a model (pass adapters with --lora)");
    }
}
