package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.optional;
import static dev.edgebox.engine.grammar.Expr.seq;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema to grammar. The grammar generates only JSON that {@link JsonSchemaValidator}
 * accepts; where the schema allows many layouts it picks one (properties in the order declared,
 * numbers without exponent when bounded, no extra properties unless additionalProperties asks
 * for them). Keywords outside the subset throw {@link UnsupportedSchemaException}; see
 * docs/structured-output.md for the list.
 */
public final class JsonSchemaCompiler {
    private final SchemaDocument doc;
    private final JsonGrammar json;
    private final RuleSet rules = new RuleSet();
    private final Map<String, Expr> refs = new HashMap<>();
    private final OneOfCheck oneOf;

    private JsonSchemaCompiler(Object schema, JsonOptions options) {
        this.doc = new SchemaDocument(schema);
        this.json = new JsonGrammar(rules, options);
        this.oneOf = new OneOfCheck(doc);
    }

    public static Grammar compile(String schemaJson) {
        return compile(schemaJson, JsonOptions.DEFAULT);
    }

    public static Grammar compile(String schemaJson, JsonOptions options) {
        return compileParsed(SchemaDocument.parse(schemaJson), options);
    }

    /** For a schema already parsed with {@link Json#parse}. */
    public static Grammar compileParsed(Object schema, JsonOptions options) {
        JsonSchemaCompiler c = new JsonSchemaCompiler(schema, options);
        String root = c.rules.reserve("root");
        c.refs.put("#", Expr.ref(root));
        c.rules.set(root, c.schema(schema, "#"));
        return c.rules.build(root);
    }

    /** A grammar for any JSON value (json_object with any top level) or, with objectOnly, any JSON object. */
    public static Grammar anyJson(boolean objectOnly, JsonOptions options) {
        RuleSet rules = new RuleSet();
        JsonGrammar json = new JsonGrammar(rules, options);
        String root = rules.reserve("root");
        rules.set(root, objectOnly ? json.object() : json.value());
        return rules.build(root);
    }

    private Expr schema(Object schema, String path) {
        if (Boolean.TRUE.equals(schema)) return json.value();
        if (Boolean.FALSE.equals(schema)) throw new JsonSchemaException("the schema at " + path + " is false: no value is allowed");
        Map<String, Object> m = SchemaDocument.asMap(schema, path);
        SchemaKeywords.check(m, path);
        if (m.get("format") != null) JsonSchemaValidator.format(m, path);
        if (m.containsKey("$ref")) return ref(m, path);
        if (m.containsKey("allOf")) return allOf(m, path);
        if (m.containsKey("anyOf") || m.containsKey("oneOf")) return union(m, path);
        if (m.containsKey("enum") || m.containsKey("const")) return constants(m, path);
        List<String> types = SchemaDocument.types(m, path);
        if (types == null) types = SchemaDocument.inferredTypes(m);
        if (types == null) return json.value();
        if (types.contains("number")) types.remove("integer");
        List<Expr> options = new ArrayList<>();
        for (String t : types) options.add(ofType(t, m, path));
        return Expr.alt(options);
    }

    private Expr ofType(String type, Map<String, Object> m, String path) {
        return switch (type) {
            case "null" -> json.nul();
            case "boolean" -> json.bool();
            case "integer" -> integer(m, path);
            case "number" -> number(m, path);
            case "string" -> string(m, path);
            case "array" -> array(m, path);
            case "object" -> object(m, path);
            default -> throw new IllegalStateException(type);
        };
    }

    private Expr ref(Map<String, Object> m, String path) {
        if (!(m.get("$ref") instanceof String ref)) throw new JsonSchemaException("$ref at " + path + " must be a string");
        requireOnly(m, path, "$ref");
        Expr known = refs.get(ref);
        if (known != null) return known;
        Object target = doc.resolve(ref, path);
        String name = rules.reserve(ref.substring(ref.lastIndexOf('/') + 1));
        Expr r = Expr.ref(name);
        refs.put(ref, r); // before compiling the target, so recursive schemas refer back to this rule
        rules.set(name, schema(target, ref));
        return r;
    }

    private Expr allOf(Map<String, Object> m, String path) {
        List<Object> parts = SchemaDocument.list(m, "allOf", path, true);
        // Intersections are not compiled; allOf works when at most one part constrains (Pydantic's allOf: [{$ref}]).
        Map<String, Object> rest = new LinkedHashMap<>(m);
        rest.remove("allOf");
        List<Object> constraining = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (SchemaKeywords.constrains(rest)) {
            constraining.add(rest);
            where.add(path);
        }
        for (int i = 0; i < parts.size(); i++) {
            Object p = parts.get(i);
            if (Boolean.TRUE.equals(p) || p instanceof Map<?, ?> pm && !SchemaKeywords.constrains(SchemaDocument.asMap(pm, path))) continue;
            constraining.add(p);
            where.add(path + "/allOf/" + i);
        }
        if (constraining.size() > 1) {
            throw new UnsupportedSchemaException("allOf", path, "only one constraining schema among allOf and its siblings is supported");
        }
        return constraining.isEmpty() ? json.value() : schema(constraining.getFirst(), where.getFirst());
    }

    private Expr union(Map<String, Object> m, String path) {
        String keyword = m.containsKey("anyOf") ? "anyOf" : "oneOf";
        requireOnly(m, path, keyword);
        List<Object> branches = SchemaDocument.list(m, keyword, path, true);
        if (keyword.equals("oneOf")) oneOf.requireDisjoint(branches, path);
        List<Expr> options = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) options.add(schema(branches.get(i), path + "/" + keyword + "/" + i));
        return Expr.alt(options);
    }

    /** Throws if keywords that constrain stand next to the given one (their intersection is not compiled). */
    private static void requireOnly(Map<String, Object> m, String path, String keyword) {
        for (String k : m.keySet()) {
            if (k.equals(keyword) || SchemaKeywords.ANNOTATIONS.contains(k) || k.startsWith("x-")) continue;
            throw new UnsupportedSchemaException(k, path, "'" + k + "' next to '" + keyword + "' is not supported; move it into the "
                    + keyword + (keyword.equals("$ref") ? " target" : " branches"));
        }
    }

    private Expr constants(Map<String, Object> m, String path) {
        List<Object> values = m.containsKey("enum") ? SchemaDocument.list(m, "enum", path, true) : new ArrayList<>();
        if (m.containsKey("const")) {
            Object c = m.get("const");
            values = m.containsKey("enum") ? values.stream().filter(v -> SchemaDocument.jsonEquals(v, c)).toList() : List.of(c);
        }
        // The other keywords still apply: keep the values that satisfy them.
        Map<String, Object> rest = new LinkedHashMap<>(m);
        rest.remove("enum");
        rest.remove("const");
        JsonSchemaValidator validator = new JsonSchemaValidator(doc.root);
        List<Expr> options = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Object v : values) {
            String text = Json.write(v);
            if (seen.contains(text) || validator.check(v, rest, path, "$", 0) != null) continue;
            seen.add(text);
            options.add(lit(text));
        }
        if (options.isEmpty()) throw new JsonSchemaException("no enum/const value at " + path + " satisfies the rest of its schema");
        return Expr.alt(options);
    }

    private Expr integer(Map<String, Object> m, String path) {
        SchemaDocument.Bounds b = SchemaDocument.bounds(m, path);
        if (!b.any()) return json.integer();
        BigInteger lo = null, hi = null;
        if (b.lo() != null) {
            lo = b.loExclusive() ? b.lo().setScale(0, RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.ONE)
                    : b.lo().setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        }
        if (b.hi() != null) {
            hi = b.hiExclusive() ? b.hi().setScale(0, RoundingMode.CEILING).toBigIntegerExact().subtract(BigInteger.ONE)
                    : b.hi().setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        }
        return NumberGrammar.integer(lo, hi);
    }

    private Expr number(Map<String, Object> m, String path) {
        SchemaDocument.Bounds b = SchemaDocument.bounds(m, path);
        if (!b.any()) return json.number();
        return NumberGrammar.decimal(b.lo(), b.loExclusive(), b.hi(), b.hiExclusive());
    }

    private Expr string(Map<String, Object> m, String path) {
        int min = Math.max(0, SchemaDocument.count(m, "minLength", path));
        int max = SchemaDocument.count(m, "maxLength", path);
        if (max >= 0 && min > max) throw new JsonSchemaException("minLength " + min + " > maxLength " + max + " at " + path);
        Object format = m.get("format");
        Object pattern = m.get("pattern");
        if (format != null && pattern != null) throw new UnsupportedSchemaException("pattern", path, "pattern together with format");
        if (format instanceof String f) {
            requireLengthsWithin(StringFormats.lengths(f), min, max, path, "format " + Json.quote(f));
            return seq(lit("\""), StringFormats.grammar(f), lit("\""));
        }
        if (pattern != null) {
            if (!(pattern instanceof String p)) throw new JsonSchemaException("pattern at " + path + " must be a string");
            try {
                requireLengthsWithin(RegexCompiler.lengths(p), min, max, path, "the pattern");
                return seq(lit("\""), RegexCompiler.jsonStringContent(p, json), lit("\""));
            } catch (GrammarSyntaxException e) {
                throw new UnsupportedSchemaException("pattern", path, e.getMessage());
            }
        }
        return json.string(min, max);
    }

    /**
     * Length bounds next to a format or pattern are fine when they do not cut its strings (a
     * fixed-width pattern with a matching maxLength); the intersection itself is not compiled.
     */
    private static void requireLengthsWithin(long[] lengths, int min, int max, String path, String what) {
        if (lengths[0] < min) {
            throw new UnsupportedSchemaException("minLength", path, "minLength together with " + what + " (which admits strings of "
                    + lengths[0] + " characters)");
        }
        if (max >= 0 && (lengths[1] < 0 || lengths[1] > max)) {
            throw new UnsupportedSchemaException("maxLength", path, "maxLength together with " + what + " (which admits strings of "
                    + (lengths[1] < 0 ? "any length" : lengths[1] + " characters") + ")");
        }
    }

    private Expr array(Map<String, Object> m, String path) {
        int min = Math.max(0, SchemaDocument.count(m, "minItems", path));
        int max = SchemaDocument.count(m, "maxItems", path);
        if (max >= 0 && min > max) throw new JsonSchemaException("minItems " + min + " > maxItems " + max + " at " + path);
        JsonSchemaValidator.ArrayItems items = JsonSchemaValidator.ArrayItems.of(m, path);
        List<Expr> prefix = new ArrayList<>();
        for (int i = 0; i < items.prefix().size() && (max < 0 || i < max); i++) prefix.add(schema(items.prefix().get(i), items.pathAt(i)));
        Expr rest = Boolean.FALSE.equals(items.rest()) ? null : schema(items.rest(), items.restPath());
        if (rest == null && min > prefix.size()) {
            throw new JsonSchemaException("minItems " + min + " at " + path + " needs more items than the schema allows");
        }
        Expr open = seq(lit("["), json.ws());
        if (max == 0 || prefix.isEmpty() && rest == null) return seq(open, lit("]"));
        Expr content = new ArrayContent(prefix, rest, Math.max(min, 1), max).from(0, true);
        return seq(open, min == 0 ? optional(seq(content, json.ws())) : seq(content, json.ws()), lit("]"));
    }

    /** Array elements from a position on, comma separated: prefix items in order, then the rest within the count bounds. */
    private final class ArrayContent {
        private final List<Expr> prefix;
        private final Expr rest;
        private final int min;
        private final int max;

        ArrayContent(List<Expr> prefix, Expr rest, int min, int max) {
            this.prefix = prefix;
            this.rest = rest;
            this.min = min;
            this.max = max;
        }

        Expr from(int i, boolean first) {
            Expr sep = first ? Expr.EMPTY : json.comma();
            if (i < prefix.size()) {
                Expr element = seq(sep, prefix.get(i), from(i + 1, false));
                return i < min ? element : optional(element);
            }
            if (rest == null || max >= 0 && i >= max) return Expr.EMPTY;
            int required = Math.max(0, min - i);
            int optionalCount = max < 0 ? -1 : max - i - required;
            Expr more = Expr.repeat(seq(json.comma(), rest), 0, optionalCount);
            if (first) {
                // The first of these elements has no comma before it.
                if (required > 0) return seq(rest, Expr.repeat(seq(json.comma(), rest), required - 1, required - 1), more);
                Expr tail = Expr.repeat(seq(json.comma(), rest), 0, optionalCount < 0 ? -1 : optionalCount - 1);
                return optionalCount == 0 ? Expr.EMPTY : optional(seq(rest, tail));
            }
            return seq(Expr.repeat(seq(json.comma(), rest), required, required), more);
        }
    }

    private Expr object(Map<String, Object> m, String path) {
        Map<String, Object> props = JsonSchemaValidator.properties(m, path);
        List<Object> requiredList = SchemaDocument.list(m, "required", path, false);
        List<String> required = new ArrayList<>();
        if (requiredList != null) {
            for (Object r : requiredList) {
                if (!(r instanceof String name)) throw new JsonSchemaException("required at " + path + " must list property names");
                if (!required.contains(name)) required.add(name);
            }
        }
        Object additional = SchemaDocument.additionalProperties(m);
        List<Member> members = new ArrayList<>();
        for (var e : props.entrySet()) {
            String p = SchemaDocument.child(path, "properties", e.getKey());
            members.add(new Member(e.getKey(), schema(e.getValue(), p), required.contains(e.getKey())));
        }
        for (String name : required) {
            if (props.containsKey(name)) continue;
            if (Boolean.FALSE.equals(additional)) {
                throw new JsonSchemaException("the required property " + Json.quote(name) + " at " + path
                        + " is not in properties and additionalProperties is false");
            }
            members.add(new Member(name, schema(additional, path + "/additionalProperties"), true));
        }
        Expr extra = null;
        if (!Boolean.FALSE.equals(additional)) {
            Expr value = schema(additional, path + "/additionalProperties");
            extra = seq(ExtraKeys.notIn(members.stream().map(Member::name).toList()), json.ws(), lit(":"), json.ws(), value);
        }
        return new ObjectContent(members, extra, path).expr();
    }

    private record Member(String name, Expr value, boolean required) {}

    /**
     * Members in declaration order, optional ones skippable, commas only between members present:
     * one rule per (position, "something written yet") so that the size stays linear.
     */
    private final class ObjectContent {
        private final List<Member> members;
        private final Expr extra;
        private final String hint;
        private final Map<String, Expr> made = new HashMap<>();

        ObjectContent(List<Member> members, Expr extra, String path) {
            this.members = members;
            this.extra = extra;
            this.hint = path.equals("#") ? "object" : path.substring(path.lastIndexOf('/') + 1) + "-object";
        }

        Expr expr() {
            Expr open = seq(lit("{"), json.ws());
            Expr any = from(0, true);
            boolean mayBeEmpty = members.stream().noneMatch(Member::required);
            if (any == null) return seq(open, lit("}"));
            return seq(open, mayBeEmpty ? optional(seq(any, json.ws())) : seq(any, json.ws()), lit("}"));
        }

        /** Members from i on; first: nothing written yet, and at least one member must still come. Null if impossible. */
        private Expr from(int i, boolean first) {
            String key = i + (first ? "f" : "r");
            if (made.containsKey(key)) return made.get(key);
            Expr e = build(i, first);
            if (e != null && members.size() - i > 2) e = rules.define(hint, e); // share long tails instead of copying them
            made.put(key, e);
            return e;
        }

        private Expr build(int i, boolean first) {
            Expr sep = first ? Expr.EMPTY : json.comma();
            if (i == members.size()) {
                if (extra == null) return first ? null : Expr.EMPTY;
                Expr more = Expr.star(seq(json.comma(), extra));
                return first ? seq(extra, more) : more;
            }
            Member mem = members.get(i);
            Expr member = seq(sep, lit(Json.quote(mem.name())), json.ws(), lit(":"), json.ws(), mem.value());
            Expr after = from(i + 1, false);
            Expr present = seq(member, after);
            if (mem.required()) return present;
            Expr skipped = from(i + 1, first);
            return skipped == null ? present : Expr.alt(present, skipped);
        }
    }
}
