package dev.edgebox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.gguf.GgufValue;
import dev.edgebox.engine.gguf.GgufWriter;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: results on stdout, and every bad input as one clear line with a non-zero exit. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static synchronized Result edgebox(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertOneLineError(Result r, String expected) {
        assertTrue(r.code() != 0, "exit code should be non-zero");
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected, got:\n" + err);
        assertTrue(err.startsWith("edgebox: "), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void storiesGreedyRunWritesLlamaCppsStory() {
        Path model = Shared.require("reference/models/stories260K/stories260K-f32.gguf");
        Result r = edgebox("run", "-m", model.toString(), "-p", "Once upon a time, there was a little girl named Lily. She loved to play",
                "--temp", "0", "-n", "32", "--ignore-eos");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it,"), r.out());
    }

    @Test
    void sameSeedSameText() {
        Path model = Shared.require("reference/models/stories260K/stories260K-f32.gguf");
        String[] args = {"run", "-m", model.toString(), "-p", "Once upon a time", "--temp", "1.0", "--seed", "42", "-n", "40"};
        Result a = edgebox(args), b = edgebox(args);
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void logitsCommandWritesEveryPosition() throws IOException {
        Path model = Shared.require("reference/models/stories260K/stories260K-f32.gguf");
        Path out = tmp.resolve("l.f32");
        Result r = edgebox("logits", "-m", model.toString(), "--tokens", "1,403,407", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3L * 512 * 4, Files.size(out));
        float[] first = new float[512];
        ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(first);
        float[] ref = new float[512];
        ByteBuffer.wrap(Files.readAllBytes(model.resolveSibling("stories260K-f32.logits.f32"))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(ref);
        for (int i = 0; i < 512; i++) assertEquals(ref[i], first[i], 1e-3, "logit " + i);
    }

    @Test
    void missingFile() {
        assertOneLineError(edgebox("run", "-m", tmp.resolve("nope.gguf").toString(), "-p", "hi"), "model file not found");
    }

    @Test
    void notGguf() throws IOException {
        Path f = tmp.resolve("notes.gguf");
        Files.writeString(f, "just some text");
        assertOneLineError(edgebox("run", "-m", f.toString(), "-p", "hi"), "is not a GGUF file");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] bytes = Files.readAllBytes(Shared.require("reference/models/stories260K/stories260K-q8_0.gguf"));
        Path f = tmp.resolve("cut.gguf");
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLineError(edgebox("run", "-m", f.toString(), "-p", "hi"), "truncated");
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        Path f = tmp.resolve("gemma.gguf");
        new GgufWriter().putString("general.architecture", "gemma3").write(f);
        assertOneLineError(edgebox("run", "-m", f.toString(), "-p", "hi"), "unsupported architecture 'gemma3'");
    }

    @Test
    void unsupportedTensorType() throws IOException {
        Path f = tmp.resolve("iq.gguf");
        GgufWriter w = new GgufWriter().putString("general.architecture", "llama");
        for (String k : List.of("embedding_length", "block_count", "attention.head_count", "feed_forward_length")) {
            w.putUint32("llama." + k, k.equals("block_count") || k.equals("attention.head_count") ? 1 : 32);
        }
        w.put("tokenizer.ggml.tokens", GgufValue.strings("a", "b"));
        w.addTensor("token_embd.weight", GgmlType.IQ4_NL, new long[] {32, 2}, new byte[2 * 18]);
        w.write(f);
        assertOneLineError(edgebox("run", "-m", f.toString(), "-p", "hi"), "type iq4_nl, which edgebox does not support");
    }

    @Test
    void promptLongerThanTheContext() {
        Path model = Shared.require("reference/models/stories260K/stories260K-f32.gguf");
        String longPrompt = "Once upon a time there was a dog. ".repeat(20);
        assertOneLineError(edgebox("run", "-m", model.toString(), "-c", "32", "-p", longPrompt), "the context holds 32");
    }

    @Test
    void badFlagValues() {
        Path model = Shared.require("reference/models/stories260K/stories260K-f32.gguf");
        assertOneLineError(edgebox("run", "-m", model.toString(), "-p", "x", "--top-p", "0"), "top_p");
        assertOneLineError(edgebox("run", "-m", model.toString(), "-p", "x", "--kv", "q4"), "--kv must be f16 or f32");
        assertOneLineError(edgebox("logits", "-m", model.toString(), "--tokens", "1,x", "--out", tmp.resolve("o").toString()), "'x' is not one");
        assertOneLineError(edgebox("logits", "-m", model.toString(), "--tokens", "1,9999", "--out", tmp.resolve("o").toString()), "outside the vocabulary");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Result r = edgebox("run", "-m", tmp.resolve("nope.gguf").toString(), "-p", "hi", "--verbose");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("\tat "), r.err());
    }

    /** A real separate JVM on a corrupt file: exits with status 1 and one line, never crashes. */
    @Test
    void separateProcessExitsCleanly() throws Exception {
        byte[] bytes = Files.readAllBytes(Shared.require("reference/models/stories260K/stories260K-f32.gguf"));
        Path f = tmp.resolve("flip.gguf");
        bytes[9] ^= 0x40; // tensor count becomes absurd
        Files.write(f, bytes);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "-m", f.toString(), "-p", "hi"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, p.exitValue(), err);
        assertOneLineError(new Result(1, "", err), "corrupt");
    }
}
