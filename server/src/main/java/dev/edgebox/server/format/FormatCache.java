package dev.edgebox.server.format;

import dev.edgebox.engine.grammar.Json;
import dev.edgebox.engine.grammar.StructuredOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled output formats by their source text, so that a client (or a task) sending the same
 * schema again does not pay for compiling it again. A {@link StructuredOutput} is immutable and
 * thread-safe, so one instance serves every request. Bounded: the least recently used goes first.
 */
public final class FormatCache {
    private static final int SIZE = 128;

    private final Map<String, StructuredOutput> formats = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StructuredOutput> e) {
            return size() > SIZE;
        }
    };

    /**
     * The format for this key, compiled by {@code compile} the first time. Errors are not cached: a
     * bad schema fails the same way each time it is sent.
     */
    public StructuredOutput get(String key, Supplier<StructuredOutput> compile) {
        synchronized (formats) {
            StructuredOutput f = formats.get(key);
            if (f != null) return f;
        }
        // Compile outside the lock: a large schema must not hold up requests for other formats.
        StructuredOutput f = compile.get();
        synchronized (formats) {
            formats.putIfAbsent(key, f);
            return formats.get(key);
        }
    }

    public StructuredOutput jsonSchema(String schemaJson) {
        return get("schema:" + schemaJson, () -> StructuredOutput.jsonSchema(schemaJson));
    }

    public StructuredOutput json(boolean objectOnly) {
        return get("json:" + objectOnly, () -> StructuredOutput.json(objectOnly));
    }

    public StructuredOutput regex(String regex) {
        return get("regex:" + regex, () -> StructuredOutput.regex(regex));
    }

    public StructuredOutput grammar(String gbnf) {
        return get("gbnf:" + gbnf, () -> StructuredOutput.grammar(gbnf));
    }

    public StructuredOutput choices(List<String> choices) {
        // Choices may hold any text, so the key is their JSON array (unambiguous).
        return get("choices:" + Json.write(List.copyOf(choices)), () -> StructuredOutput.choices(choices));
    }
}
