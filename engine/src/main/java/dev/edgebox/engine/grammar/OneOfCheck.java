package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * oneOf demands that exactly one branch matches, which a grammar cannot count. It compiles like
 * anyOf when no value can match two branches, and that is proved here from what tells branches
 * apart in practice: different types, different const/enum values, a required "discriminator"
 * property with different constants, or a required property that the other branch forbids.
 * Otherwise the schema is refused rather than risking output that matches two branches.
 */
final class OneOfCheck {
    private enum Kind { NULL, BOOLEAN, OBJECT, ARRAY, NUMBER, STRING }

    private static final int MAX_REF_HOPS = 64;
    private final SchemaDocument doc;

    OneOfCheck(SchemaDocument doc) {
        this.doc = doc;
    }

    void requireDisjoint(List<Object> branches, String path) {
        for (int i = 0; i < branches.size(); i++) {
            for (int j = i + 1; j < branches.size(); j++) {
                if (!disjoint(branches.get(i), branches.get(j))) {
                    throw new UnsupportedSchemaException("oneOf", path, "branches " + i + " and " + j + " may match the same value;"
                            + " use anyOf, or tell them apart by type, const/enum, or a required property with different const values");
                }
            }
        }
    }

    private boolean disjoint(Object a, Object b) {
        a = resolve(a);
        b = resolve(b);
        Set<Kind> ka = kinds(a, 0), kb = kinds(b, 0);
        if (ka.stream().noneMatch(kb::contains)) return true;
        List<Object> ca = constants(a), cb = constants(b);
        if (ca != null && cb != null && ca.stream().noneMatch(x -> cb.stream().anyMatch(y -> SchemaDocument.jsonEquals(x, y)))) return true;
        if (ka.equals(EnumSet.of(Kind.OBJECT)) && kb.equals(EnumSet.of(Kind.OBJECT)) && a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            return objectsDisjoint(SchemaDocument.asMap(ma, "#"), SchemaDocument.asMap(mb, "#"));
        }
        return false;
    }

    private boolean objectsDisjoint(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> pa = JsonSchemaValidator.properties(a, "#"), pb = JsonSchemaValidator.properties(b, "#");
        List<String> ra = required(a), rb = required(b);
        for (String p : ra) {
            if (rb.contains(p) && pa.containsKey(p) && pb.containsKey(p)) {
                List<Object> ca = constants(resolve(pa.get(p))), cb = constants(resolve(pb.get(p)));
                if (ca != null && cb != null && ca.stream().noneMatch(x -> cb.stream().anyMatch(y -> SchemaDocument.jsonEquals(x, y)))) return true;
            }
            if (!pb.containsKey(p) && Boolean.FALSE.equals(SchemaDocument.additionalProperties(b))) return true;
        }
        for (String p : rb) if (!pa.containsKey(p) && Boolean.FALSE.equals(SchemaDocument.additionalProperties(a))) return true;
        return false;
    }

    private static List<String> required(Map<String, Object> m) {
        List<String> out = new ArrayList<>();
        if (m.get("required") instanceof List<?> l) for (Object o : l) if (o instanceof String s) out.add(s);
        return out;
    }

    private Object resolve(Object schema) {
        for (int hops = 0; hops < MAX_REF_HOPS && schema instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            schema = doc.resolve(ref, "#");
        }
        return schema;
    }

    private static List<Object> constants(Object schema) {
        if (!(schema instanceof Map<?, ?> m)) return null;
        if (m.containsKey("const")) return List.of(m.get("const"));
        if (m.get("enum") instanceof List<?> l) return new ArrayList<>(l);
        return null;
    }

    private Set<Kind> kinds(Object schema, int depth) {
        schema = resolve(schema);
        if (Boolean.FALSE.equals(schema)) return EnumSet.noneOf(Kind.class);
        if (!(schema instanceof Map<?, ?> raw) || depth > MAX_REF_HOPS) return EnumSet.allOf(Kind.class);
        Map<String, Object> m = SchemaDocument.asMap(raw, "#");
        List<Object> values = constants(m);
        if (values != null) {
            Set<Kind> k = EnumSet.noneOf(Kind.class);
            for (Object v : values) k.add(kindOf(SchemaDocument.typeOf(v)));
            return k;
        }
        for (String union : List.of("anyOf", "oneOf")) {
            if (m.get(union) instanceof List<?> l) {
                Set<Kind> k = EnumSet.noneOf(Kind.class);
                for (Object b : l) k.addAll(kinds(b, depth + 1));
                return k;
            }
        }
        Set<Kind> k = EnumSet.allOf(Kind.class);
        if (m.get("allOf") instanceof List<?> l) for (Object b : l) k.retainAll(kinds(b, depth + 1));
        // Only "type" counts: without it the validator lets any type through, whatever the keywords suggest.
        List<String> types = SchemaDocument.types(m, "#");
        if (types != null) {
            Set<Kind> t = EnumSet.noneOf(Kind.class);
            for (String name : types) t.add(kindOf(name));
            k.retainAll(t);
        }
        return k;
    }

    private static Kind kindOf(String type) {
        return switch (type) {
            case "null" -> Kind.NULL;
            case "boolean" -> Kind.BOOLEAN;
            case "object" -> Kind.OBJECT;
            case "array" -> Kind.ARRAY;
            case "integer", "number" -> Kind.NUMBER;
            default -> Kind.STRING;
        };
    }
}
