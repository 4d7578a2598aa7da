package dev.edgebox.server.tasks;

import dev.edgebox.engine.grammar.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the values of a call's {@code params} (and of a task file's {@code sampling}): sampling
 * numbers within their ranges, labels, schemas and variable values, each complaint naming the
 * parameter by its full path ("params.labels").
 */
final class Params {
    private Params() {}

    /** The sampling values among the keys of {@code m}; other keys are left alone. */
    static TaskSampling sampling(Map<?, ?> m, String prefix) {
        Double temperature = number(m, prefix, "temperature", 0, 2, true);
        Long topK = integer(m, prefix, "top_k", 0, Integer.MAX_VALUE);
        Double topP = number(m, prefix, "top_p", 0, 1, false);
        Double minP = number(m, prefix, "min_p", 0, 1, true);
        Double repeat = number(m, prefix, "repeat_penalty", 0, 10, false);
        Long seed = integer(m, prefix, "seed", -1, Long.MAX_VALUE);
        Long maxTokens = integer(m, prefix, "max_tokens", 1, Integer.MAX_VALUE);
        return new TaskSampling(
                temperature == null ? null : temperature.floatValue(),
                topK == null ? null : topK.intValue(),
                topP == null ? null : topP.floatValue(),
                minP == null ? null : minP.floatValue(),
                repeat == null ? null : repeat.floatValue(),
                seed,
                maxTokens == null ? null : maxTokens.intValue());
    }

    private static Double number(Map<?, ?> m, String prefix, String key, double min, double max, boolean minIncluded) {
        Object v = m.get(key);
        if (v == null) return null;
        String param = prefix + "." + key;
        if (!(v instanceof Number n)) throw TaskException.badParam(param, "must be a number, got " + TaskFiles.kind(v));
        double d = n.doubleValue();
        boolean ok = (minIncluded ? d >= min : d > min) && d <= max;
        if (!ok) {
            throw TaskException.badParam(param, (minIncluded ? "must be between " + trim(min) + " and " : "must be greater than " + trim(min)
                    + " and at most ") + trim(max) + ", got " + v);
        }
        return d;
    }

    private static Long integer(Map<?, ?> m, String prefix, String key, long min, long max) {
        Object v = m.get(key);
        if (v == null) return null;
        String param = prefix + "." + key;
        if (!(v instanceof Number n)) throw TaskException.badParam(param, "must be an integer, got " + TaskFiles.kind(v));
        BigDecimal d = new BigDecimal(n.toString());
        if (d.stripTrailingZeros().scale() > 0) throw TaskException.badParam(param, "must be an integer, got " + v);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw TaskException.badParam(param, "must be " + (max >= Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max) + ", got " + v);
        }
        return d.longValueExact();
    }

    /** Labels for a choice output: a non-empty list of distinct strings. */
    static List<String> labels(Object v, String param) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw TaskException.badParam(param, "must be a non-empty array of strings (the labels to choose from), got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) throw TaskException.badParam(param, "must hold strings; element " + i + " is " + describe(list.get(i)));
            if (s.isEmpty()) throw TaskException.badParam(param, "holds an empty label at " + i);
            if (out.contains(s)) throw TaskException.badParam(param, "lists '" + s + "' twice");
            out.add(s);
        }
        return out;
    }

    /** A JSON Schema given as an object, or as a string of JSON. */
    static String schema(Object v, String param) {
        if (v instanceof String s) return s;
        if (v instanceof Map<?, ?> || v instanceof Boolean) return Json.write(v);
        throw TaskException.badParam(param, "must be a JSON Schema (an object), got " + describe(v));
    }

    /** A variable's value as prompt text: strings as they are, numbers and booleans as written, lists joined, objects as JSON. */
    static String text(Object v, String param) {
        return switch (v) {
            case String s -> s;
            case Number n -> new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
            case Boolean b -> b.toString();
            case List<?> l -> {
                List<String> parts = new ArrayList<>();
                for (Object o : l) parts.add(text(o, param));
                yield String.join(", ", parts);
            }
            case Map<?, ?> m -> Json.write(m);
            case null -> throw TaskException.badParam(param, "must not be null");
            default -> throw TaskException.badParam(param, "cannot be used in a prompt: " + describe(v));
        };
    }

    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            default -> v.getClass().getSimpleName();
        };
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
