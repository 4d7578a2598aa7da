package dev.edgebox.knowledge.document;

import dev.edgebox.knowledge.KnowledgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A document's bytes and the name it came with (a path or an uploaded file name); the extension of
 * the name picks the parser.
 */
public record SourceFile(String name, byte[] content) {

    public static SourceFile read(Path path) {
        try {
            return new SourceFile(path.toString(), Files.readAllBytes(path));
        } catch (IOException e) {
            throw new KnowledgeException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The last path element, e.g. "manual.pdf". */
    public String fileName() {
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** Lower-case extension without the dot, "" when there is none. */
    public String extension() {
        String f = fileName();
        int dot = f.lastIndexOf('.');
        return dot < 0 ? "" : f.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** SHA-256 of the bytes: an unchanged file re-added is recognised by it. */
    public String contentHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
