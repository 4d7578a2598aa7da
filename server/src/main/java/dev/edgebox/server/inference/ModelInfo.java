package dev.edgebox.server.inference;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What the model listings say about the loaded model (OpenAI /v1/models, Ollama /api/tags,
 * /api/show, /api/ps): name, file, size, architecture, parameter count, dominant weight type.
 *
 * @param digest an identifier of this file version (SHA-256 of path, size and modification time;
 *               hashing gigabytes of weights at start-up is not worth it)
 */
public record ModelInfo(String name, String file, long sizeBytes, Instant modified, String digest, String architecture,
                        long parameters, String quantization, int contextLength, int embeddingLength) {

    public static ModelInfo of(String name, GgufFile f, int contextLength, int dim) {
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(f.path()).toInstant();
        } catch (IOException e) {
            modified = Instant.EPOCH;
        }
        long params = 0;
        Map<GgmlType, Long> byType = new HashMap<>();
        for (TensorInfo t : f.tensors().values()) {
            params += t.elementCount();
            if (t.dims().length == 2) byType.merge(t.type(), t.elementCount(), Long::sum);
        }
        String quant = byType.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().displayName()).orElse("unknown");
        String arch = f.metadata().getString("general.architecture", "unknown");
        String id = f.path().toAbsolutePath() + "|" + f.fileSize() + "|" + modified.toEpochMilli();
        return new ModelInfo(name, f.path().toString(), f.fileSize(), modified, sha256(id), arch, params,
                quant.toUpperCase(Locale.ROOT), contextLength, dim);
    }

    /** "494.0M", "1.5B": as Ollama writes parameter sizes. */
    public String parameterSize() {
        if (parameters >= 1_000_000_000L) return String.format(Locale.ROOT, "%.1fB", parameters / 1e9);
        if (parameters >= 1_000_000L) return String.format(Locale.ROOT, "%.1fM", parameters / 1e6);
        return String.format(Locale.ROOT, "%.1fK", parameters / 1e3);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
