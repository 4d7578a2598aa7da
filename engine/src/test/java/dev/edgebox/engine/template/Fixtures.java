package dev.edgebox.engine.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the files under src/test/resources/template, written by generate_expected.py. */
final class Fixtures {
    private Fixtures() {}

    static String text(String relative) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/template/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture template/" + relative);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String file) {
        return (List<Map<String, Object>>) TestJson.parse(text(file));
    }
}
