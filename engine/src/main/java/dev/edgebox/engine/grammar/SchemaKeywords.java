package dev.edgebox.engine.grammar;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema vocabulary of constrained decoding, shared by the compiler and the validator so
 * both refuse the same schemas. Annotations are ignored (they do not constrain output); supported
 * keywords are enforced; every other keyword, known or not, is an {@link UnsupportedSchemaException}.
 */
final class SchemaKeywords {
    static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment", "default",
            "examples", "deprecated", "readOnly", "writeOnly", "$anchor", "contentEncoding", "contentMediaType",
            "discriminator", "$defs", "definitions");

    static final Set<String> SUPPORTED = Set.of("type", "enum", "const", "properties", "required",
            "additionalProperties", "items", "prefixItems", "additionalItems", "minItems", "maxItems", "minLength",
            "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf",
            "oneOf", "allOf", "$ref", "nullable", "uniqueItems", "minProperties");

    /** Keywords that constrain output and are not implemented; listed for the documentation and messages. */
    static final List<String> REJECTED = List.of("patternProperties", "propertyNames", "minProperties (above 0)",
            "maxProperties", "dependentRequired", "dependentSchemas", "dependencies", "if", "then", "else", "not",
            "contains", "minContains", "maxContains", "uniqueItems (true)", "multipleOf", "unevaluatedProperties",
            "unevaluatedItems", "$dynamicRef", "$recursiveRef", "$dynamicAnchor", "$recursiveAnchor",
            "format (other than " + String.join(", ", StringFormats.SUPPORTED) + ")",
            "$ref to anything but a local JSON pointer", "any other unknown keyword");

    static final Set<String> OBJECT = Set.of("properties", "required", "additionalProperties", "minProperties");
    static final Set<String> ARRAY = Set.of("items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems");
    static final Set<String> STRING = Set.of("minLength", "maxLength", "pattern", "format");
    static final Set<String> NUMBER = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");

    private SchemaKeywords() {}

    /** Throws for any keyword outside the supported vocabulary (annotations and "x-" extensions pass). */
    static void check(Map<String, Object> schema, String path) {
        for (var e : schema.entrySet()) {
            String k = e.getKey();
            if (ANNOTATIONS.contains(k) || k.startsWith("x-")) continue;
            if (!SUPPORTED.contains(k)) {
                throw new UnsupportedSchemaException(k, path, isKnown(k) ? null : "unknown keyword");
            }
            if (k.equals("uniqueItems") && !Boolean.FALSE.equals(e.getValue())) {
                throw new UnsupportedSchemaException(k, path, "only uniqueItems: false is supported");
            }
            if (k.equals("minProperties") && !(e.getValue() instanceof BigDecimal d && d.signum() == 0)) {
                throw new UnsupportedSchemaException(k, path, "only minProperties: 0 is supported");
            }
        }
    }

    /** Whether a keyword that carries a constraint is present (annotations and $defs do not count). */
    static boolean constrains(Map<String, Object> schema) {
        for (String k : schema.keySet()) if (!ANNOTATIONS.contains(k) && !k.startsWith("x-")) return true;
        return false;
    }

    private static boolean isKnown(String k) {
        return Set.of("patternProperties", "propertyNames", "maxProperties", "dependentRequired", "dependentSchemas",
                "dependencies", "if", "then", "else", "not", "contains", "minContains", "maxContains", "multipleOf",
                "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "$dynamicAnchor",
                "$recursiveAnchor", "$vocabulary").contains(k);
    }
}
