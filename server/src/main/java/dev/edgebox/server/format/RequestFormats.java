package dev.edgebox.server.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.grammar.GrammarException;
import dev.edgebox.engine.grammar.GrammarSyntaxException;
import dev.edgebox.engine.grammar.JsonSchemaException;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.grammar.UnsupportedSchemaException;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the structured-output fields of a request into a {@link StructuredOutput}: OpenAI's
 * {@code response_format} ({@code json_object}, {@code json_schema}), vLLM's {@code guided_json},
 * {@code guided_choice}, {@code guided_regex}, {@code guided_grammar}, llama.cpp's {@code grammar}
 * and {@code json_schema}, and Ollama's {@code format}. A format the engine cannot enforce is a
 * 400 naming the field; an unsupported JSON Schema keyword is a 400 whose {@code param} is the
 * keyword's path inside the request (e.g. {@code response_format.json_schema.schema.properties.tags.patternProperties}).
 */
public final class RequestFormats {
    /** The OpenAI-side fields that ask for a format; a request may use one of them. */
    public static final List<String> OPENAI_FIELDS = List.of("response_format", "guided_json", "guided_choice", "guided_regex",
            "guided_grammar", "grammar", "json_schema");

    private RequestFormats() {}

    /** Whether an OpenAI request asks for an output format (a text response_format does not). */
    public static boolean asksForFormat(Fields f) {
        for (String field : OPENAI_FIELDS) if (f.has(field) && !(field.equals("response_format") && isText(f))) return true;
        return false;
    }

    /** The format an OpenAI request asks for, or null for free text. */
    public static StructuredOutput openAi(Fields f, FormatCache cache) {
        String chosen = null;
        for (String field : OPENAI_FIELDS) {
            if (!f.has(field) || field.equals("response_format") && isText(f)) continue;
            if (chosen != null) {
                throw f.invalid(field, "cannot be combined with '" + f.param(chosen) + "': send one output format");
            }
            chosen = field;
        }
        if (chosen == null) return null;
        String field = chosen;
        return switch (field) {
            case "response_format" -> responseFormat(f.optObject("response_format"), cache);
            case "guided_json", "json_schema" -> schema(f, field, cache);
            case "guided_choice" -> choices(f, "guided_choice", cache);
            case "guided_regex" -> compile(f.param("guided_regex"), () -> cache.regex(nonEmpty(f, "guided_regex")));
            default -> compile(f.param(field), () -> cache.grammar(nonEmpty(f, field)));
        };
    }

    /**
     * What the request's format was built from, as plain values: the schema (a Map, or the string
     * sent) for schema formats, the list of strings for guided_choice; null for other formats or none.
     * A task whose output takes a schema or labels from its params can take them from here.
     */
    public static Object formatSource(Fields f) {
        Fields format = f.optObject("response_format");
        if (format != null && format.optString("type", "text").equals("json_schema") && format.optObject("json_schema") != null) {
            return plain(format.optObject("json_schema").get("schema"));
        }
        for (String field : List.of("guided_json", "json_schema", "guided_choice")) if (f.has(field)) return plain(f.get(field));
        return null;
    }

    private static Object plain(JsonNode v) {
        return v == null ? null : v.isTextual() ? v.asText() : Json.MAPPER.convertValue(v, Object.class);
    }

    private static boolean isText(Fields f) {
        Fields format = f.optObject("response_format");
        return format.optString("type", "text").equals("text") && !format.has("json_schema");
    }

    private static StructuredOutput responseFormat(Fields format, FormatCache cache) {
        String type = format.string("type");
        return switch (type) {
            case "json_object" -> cache.json(true);
            case "json_schema" -> {
                Fields spec = format.optObject("json_schema");
                if (spec == null) throw format.invalid("json_schema", "is required with type 'json_schema': {\"name\", \"schema\", \"strict\"}");
                spec.optString("name", null);
                spec.optString("description", null);
                spec.optBool("strict"); // edgebox always enforces the schema, strict or not; only its type is checked
                if (!spec.has("schema")) throw spec.invalid("schema", "is required: the JSON Schema the answer must follow");
                yield schema(spec, "schema", cache);
            }
            default -> throw format.invalid("type", "must be text, json_object or json_schema, got '" + type + "'");
        };
    }

    /** A schema field: a JSON object, or a string holding one (vLLM accepts both for guided_json). */
    static StructuredOutput schema(Fields f, String field, FormatCache cache) {
        String text = schemaText(f, field);
        return compile(f.param(field), () -> cache.jsonSchema(text));
    }

    /** The schema of a field as compact JSON text. */
    public static String schemaText(Fields f, String field) {
        JsonNode v = f.get(field);
        if (v.isTextual()) return v.asText();
        if (!v.isObject() && !v.isBoolean()) throw f.invalid(field, "must be a JSON Schema (an object), got " + Fields.kind(v));
        try {
            return Json.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StructuredOutput choices(Fields f, String field, FormatCache cache) {
        List<JsonNode> list = f.optArray(field);
        if (list.isEmpty()) throw f.invalid(field, "is empty; list at least one choice");
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) throw f.invalid(field, "must hold strings; element " + i + " is " + Fields.kind(list.get(i)));
            choices.add(list.get(i).asText());
        }
        return compile(f.param(field), () -> cache.choices(choices));
    }

    private static String nonEmpty(Fields f, String field) {
        String s = f.string(field);
        if (s.isEmpty()) throw f.invalid(field, "is empty");
        return s;
    }

    /** The format of an Ollama request ("json" or a JSON Schema object), or null for free text. */
    public static StructuredOutput ollama(Fields f, FormatCache cache) {
        JsonNode v = f.get("format");
        if (v == null) return null;
        if (v.isTextual()) {
            if (v.asText().isEmpty()) return null;
            if (v.asText().equals("json")) return cache.json(true);
            throw f.invalid("format", "must be \"json\" or a JSON Schema object, got \"" + v.asText() + "\"");
        }
        if (!v.isObject()) throw f.invalid("format", "must be \"json\" or a JSON Schema object, got " + Fields.kind(v));
        return schema(f, "format", cache);
    }

    /** Builds a format, turning the engine's refusal into a 400 about {@code param}. */
    public static StructuredOutput compile(String param, Supplier<StructuredOutput> build) {
        try {
            return build.get();
        } catch (GrammarException e) {
            throw invalid(e, param);
        }
    }

    /** A format the engine refused, as a 400: an unsupported keyword is named by its path in the request. */
    public static ApiException invalid(GrammarException e, String param) {
        return switch (e) {
            case UnsupportedSchemaException u -> {
                String at = keywordParam(param, u.path(), u.keyword());
                yield new ApiException(400, "'" + param + "': " + u.getMessage() + "; edgebox refuses what it cannot enforce rather than"
                        + " ignore it (see docs/structured-output.md for the supported subset)", "invalid_request_error", at,
                        "unsupported_schema_keyword");
            }
            case JsonSchemaException s -> new ApiException(400, "'" + param + "' is not a usable JSON Schema: " + s.getMessage(),
                    "invalid_request_error", param, "invalid_schema");
            case GrammarSyntaxException g -> new ApiException(400, "'" + param + "': " + g.getMessage(), "invalid_request_error", param,
                    "invalid_grammar");
            default -> new ApiException(400, "'" + param + "': " + e.getMessage(), "invalid_request_error", param, "invalid_grammar");
        };
    }

    /** "response_format.json_schema.schema" + "#/properties/tags" + "patternProperties" -> "...schema.properties.tags.patternProperties". */
    public static String keywordParam(String param, String pointer, String keyword) {
        StringBuilder b = new StringBuilder(param);
        String p = pointer == null ? "" : pointer.startsWith("#") ? pointer.substring(1) : pointer;
        for (String seg : p.split("/")) {
            if (seg.isEmpty()) continue;
            String name = seg.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) b.append('[').append(name).append(']');
            else b.append('.').append(name);
        }
        return b.append('.').append(keyword).toString();
    }
}
