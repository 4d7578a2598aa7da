package dev.edgebox.engine.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad model files never crash the engine: truncated and bit-flipped copies of the reference models
 * either load and run or fail with one EngineException line. Nothing else may escape (no index
 * errors, no out-of-memory, no JVM crash from reading outside the mapping).
 */
class CorruptFilesTest {
    @TempDir
    Path tmp;

    static final String[] MODELS = {
        "reference/models/stories260K/stories260K-q8_0.gguf",
        "reference/models/tiny-qwen3/tiny-qwen3-q8_0.gguf",
        "reference/models/tiny-qwen2/tiny-qwen2-q4_k_m.gguf",
    };

    @Test
    void truncatedCopiesFailWithOneClearLine() throws IOException {
        Random rnd = new Random(7);
        for (String m : MODELS) {
            byte[] bytes = Files.readAllBytes(Shared.require(m));
            int dataEnd = (int) dataEnd(Shared.require(m)); // after it comes only alignment padding
            int[] cuts = {0, 1, 3, 4, 7, 8, 15, 23, 24, 100, 1000, dataEnd / 3, dataEnd / 2, dataEnd - 1};
            for (int i = 0; i < cuts.length + 20; i++) {
                int cut = i < cuts.length ? cuts[i] : rnd.nextInt(dataEnd);
                Path p = write(java.util.Arrays.copyOf(bytes, cut));
                EngineException e = assertThrows(EngineException.class, () -> loadAndRun(p), m + " cut at " + cut);
                assertOneLine(e);
            }
        }
    }

    @Test
    void bitFlippedCopiesLoadOrFailCleanly() throws IOException {
        Random rnd = new Random(11);
        int failures = 0, runs = 0;
        for (String m : MODELS) {
            byte[] original = Files.readAllBytes(Shared.require(m));
            long headerEnd;
            try (GgufFile f = GgufFile.open(Shared.require(m))) {
                headerEnd = f.dataOffset();
            }
            for (int i = 0; i < 150; i++) {
                byte[] bytes = original.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int k = 0; k < flips; k++) {
                    // Mostly in the header, where a flip changes structure; sometimes in the weights.
                    int pos = rnd.nextInt(4) == 0 ? rnd.nextInt(bytes.length) : rnd.nextInt((int) headerEnd);
                    bytes[pos] ^= (byte) (1 << rnd.nextInt(8));
                }
                Path p = write(bytes);
                try {
                    loadAndRun(p);
                    runs++;
                } catch (EngineException e) {
                    assertOneLine(e);
                    failures++;
                } catch (Throwable t) {
                    fail(m + " with flips (case " + i + ") threw " + t, t);
                }
            }
        }
        assertTrue(failures > 0 && runs > 0, "expected both clean failures and survivable flips, got " + failures + "/" + runs);
    }

    @Test
    void notGgufAndMissingFiles() throws IOException {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a model");
        EngineException e = assertThrows(EngineException.class, () -> GgufFile.open(text));
        assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());
        e = assertThrows(EngineException.class, () -> GgufFile.open(tmp.resolve("missing.gguf")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(EngineException.class, () -> GgufFile.open(tmp));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    /** Where the last tensor's data ends. */
    private static long dataEnd(Path p) {
        try (GgufFile f = GgufFile.open(p)) {
            long end = 0;
            for (var t : f.tensors().values()) end = Math.max(end, f.dataOffset() + t.offset() + t.byteSize());
            return end;
        }
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = tmp.resolve("m.gguf");
        Files.deleteIfExists(p);
        Files.write(p, bytes);
        return p;
    }

    /** Opens the model and runs a short prompt through it, as `edgebox run` would. */
    private static void loadAndRun(Path p) {
        try (Model model = Model.open(p, new ModelOptions(1, 32, KvCache.Type.F32, 8))) {
            KvCache seq = model.newSequence();
            Batch b = new Batch(4);
            int vocab = model.config().vocabSize();
            for (int i = 0; i < 4; i++) b.add(i % vocab, i, seq, i == 3);
            model.forward(b);
        }
    }

    private static void assertOneLine(EngineException e) {
        String msg = e.getMessage();
        assertTrue(msg != null && !msg.isBlank(), "empty message");
        assertFalse(msg.contains("\n"), "message spans lines: " + msg);
    }
}
