package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens an adapter in whichever form it comes: a PEFT directory, a file inside one, a llama.cpp
 * LoRA GGUF, or a directory holding exactly one such GGUF (a version in the adapter store).
 */
public final class LoraFiles {
    private LoraFiles() {}

    /** Reads the adapter at source for the given base model. */
    public static LoraAdapter load(Path source, String name, ModelConfig base) {
        Path p = source;
        if (Files.isRegularFile(p)) {
            String file = p.getFileName().toString();
            if (file.equals(PeftAdapterReader.CONFIG) || file.equals(PeftAdapterReader.WEIGHTS)) p = p.toAbsolutePath().getParent();
        }
        if (Files.isDirectory(p)) {
            if (PeftAdapterReader.isPeftDirectory(p)) return PeftAdapterReader.read(p, name, base);
            Path gguf = singleGguf(p);
            if (gguf != null) return GgufAdapterReader.read(gguf, name, base);
            throw new EngineException(p + " holds neither " + PeftAdapterReader.CONFIG + " (a PEFT adapter) nor one .gguf LoRA file");
        }
        if (!Files.isRegularFile(p)) {
            throw new EngineException("adapter not found: " + source + " (expected a PEFT adapter directory or a LoRA .gguf file)");
        }
        if (!startsWithGguf(p)) {
            throw new EngineException(p + " is neither a PEFT adapter directory nor a GGUF LoRA file");
        }
        return GgufAdapterReader.read(p, name, base);
    }

    /** A name for an adapter read from a path: the directory's or file's name without .gguf. */
    public static String defaultName(Path source) {
        Path f = source.toAbsolutePath().normalize();
        String n = f.getFileName() == null ? "adapter" : f.getFileName().toString();
        if (n.equals(PeftAdapterReader.CONFIG) || n.equals(PeftAdapterReader.WEIGHTS)) n = f.getParent().getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }

    static Path singleGguf(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> ggufs = s.filter(f -> f.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(f)).toList();
            return ggufs.size() == 1 ? ggufs.getFirst() : null;
        } catch (IOException e) {
            throw new EngineException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWithGguf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        } catch (IOException e) {
            throw new EngineException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
