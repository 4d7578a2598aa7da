package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** llama.cpp's tokenizer test vectors in ../shared/reference/tokenizers, loaded once per test run. */
final class ReferenceVocabs {
    static final String DIR = "reference/tokenizers/";
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    /** One test string and the ids llama.cpp gives it (add_special = false, parse_special = false). */
    record Case(int index, String text, int[] expected) {}

    private ReferenceVocabs() {}

    /** The tokenizer of ggml-vocab-NAME.gguf; skips the test if ../shared is absent. */
    static Tokenizer tokenizer(String name) {
        Path file = Shared.require(DIR + "ggml-vocab-" + name + ".gguf");
        return LOADED.computeIfAbsent(name, n -> load(file));
    }

    static Tokenizer load(Path file) {
        try (GgufFile gguf = GgufFile.open(file)) {
            return Tokenizer.fromMetadata(gguf.metadata());
        }
    }

    static List<Case> cases(String name) {
        Path inp = Shared.require(DIR + "ggml-vocab-" + name + ".gguf.inp");
        Path out = Shared.require(DIR + "ggml-vocab-" + name + ".gguf.out");
        try {
            String text = Files.readString(inp, StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>(Arrays.asList(text.split(SEPARATOR, -1)));
            // Every case is followed by the separator, so the last piece is the empty rest of the file.
            if (!inputs.isEmpty() && inputs.getLast().isEmpty()) inputs.removeLast();
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (lines.size() != inputs.size()) {
                throw new IllegalStateException(inp + " has " + inputs.size() + " cases but " + out + " has " + lines.size() + " lines");
            }
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String line = lines.get(i).trim();
                int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(i, inputs.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string with control characters and non-ASCII escaped, for failure messages. */
    static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '\n') sb.append("\\n");
            else if (cp == '\t') sb.append("\\t");
            else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) sb.append(String.format("\\x%02x", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.append('"').toString();
    }
}
