package dev.edgebox.engine.template;

import dev.edgebox.engine.EngineException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's view of template values: truth, str() and repr(), equality, ordering, membership, iteration
 * and length. Values are null (None), Boolean, Long, Double, String, Markup, List (PyTuple, PyRange),
 * Map, and the interpreter's own types. Output must match Jinja2 byte for byte, so these follow
 * CPython's rules rather than Java's.
 */
final class Py {
    private Py() {}

    /** Converts a caller's Java value into template values: Integer to Long, arrays to lists, and so on. */
    static Object fromJava(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            case CharSequence cs -> cs.toString();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, val) -> out.put(fromJava(k), fromJava(val)));
                yield out;
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                for (Object o : c) {
                    out.add(fromJava(o));
                }
                yield out;
            }
            case Object[] a -> fromJava(List.of(a));
            case TemplateFunction f -> f;
            default -> throw new EngineException("chat template context values must be String, Boolean, Number, "
                    + "List, Map, TemplateFunction or null; got a " + v.getClass().getName());
        };
    }

    // ---- types -------------------------------------------------------------------------------------

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : (Long) v;
    }

    static double toDouble(Object v) {
        return v instanceof Double d ? d : toLong(v);
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof Markup;
    }

    static String asString(Object v) {
        return v instanceof Markup m ? m.text() : (String) v;
    }

    /** A plain list (not a tuple or range), which is what Python's list type is. */
    static boolean isList(Object v) {
        return v instanceof List && !(v instanceof PyTuple) && !(v instanceof PyRange);
    }

    /** Python's type(v).__name__. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Markup m -> "Markup";
            case PyTuple t -> "tuple";
            case PyRange r -> "range";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case PyIterator it -> it.typeName();
            case DictView dv -> dv.typeName();
            case Namespace ns -> "Namespace";
            case LoopState ls -> "LoopContext";
            case Cycler c -> "Cycler";
            case Macro m -> "Macro";
            default -> "builtin_function_or_method";
        };
    }

    /** Jinja2's object_type_repr, used in "'dict object' has no attribute 'x'". */
    static String objectTypeRepr(Object v) {
        return switch (v) {
            case null -> "None";
            case Namespace ns -> "jinja2.utils.Namespace object";
            case LoopState ls -> "jinja2.runtime.LoopContext object";
            case Cycler c -> "jinja2.utils.Cycler object";
            case Macro m -> "jinja2.runtime.Macro object";
            case Markup m -> "markupsafe.Markup object";
            case Undefined u -> "jinja2.runtime.Undefined object";
            default -> typeName(v) + " object";
        };
    }

    // ---- truth, str, repr --------------------------------------------------------------------------

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Markup m -> !m.text().isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case DictView dv -> !dv.map().isEmpty();
            case Undefined u -> false;
            case LoopState ls -> ls.length() > 0;
            default -> true;
        };
    }

    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Markup m -> m.text();
            case Undefined u -> "";
            default -> repr(v);
        };
    }

    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case String s -> stringRepr(s);
            case Markup m -> "Markup(" + stringRepr(m.text()) + ")";
            case PyTuple t -> t.size() == 1 ? "(" + repr(t.get(0)) + ",)" : joinRepr("(", t, ")");
            case PyRange r -> r.repr();
            case List<?> l -> joinRepr("[", l, "]");
            case Map<?, ?> m -> mapRepr(m);
            case Undefined u -> "Undefined";
            case DictView dv -> dv.typeName() + "(" + joinRepr("[", dv.elements(), "]") + ")";
            case Namespace ns -> "<Namespace " + mapRepr(ns.attributes) + ">";
            case LoopState ls -> "<LoopContext " + ls.index() + "/" + ls.length() + ">";
            case Macro m -> "<Macro " + stringRepr(m.name()) + ">";
            case PyIterator it -> "<" + it.typeName() + " object>";
            case BoundMethod bm -> "<built-in method " + bm.name() + " of " + typeName(bm.self()) + " object>";
            default -> "<built-in function>";
        };
    }

    private static String joinRepr(String open, List<?> items, String close) {
        StringBuilder out = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(repr(items.get(i)));
        }
        return out.append(close).toString();
    }

    private static String mapRepr(Map<?, ?> m) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        }
        return out.append('}').toString();
    }

    /** Python's repr of a str: single quotes unless the text holds a ' and no ", escapes for the unprintable. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        });
        return out.append(quote).toString();
    }

    /** str.isprintable for one character: not a control, format, surrogate, private, unassigned or separator. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's repr of a float: the shortest digits that round-trip, fixed notation for 1e-4 <= |x| < 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest round-tripping digits (JDK 19+); only its layout differs.
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decimalPoint = digits.length() - shortest.scale(); // value = 0.digits * 10^decimalPoint
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (decimalPoint > 16 || decimalPoint <= -4) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decimalPoint - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        } else if (decimalPoint <= 0) {
            out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= digits.length()) {
            out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
        }
        return out.toString();
    }

    // ---- equality and ordering ---------------------------------------------------------------------

    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isInt(a) && isInt(b)) {
                return toLong(a) == toLong(b);
            }
            return toDouble(a) == toDouble(b);
        }
        if (isString(a) && isString(b)) {
            return asString(a).equals(asString(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (sequenceKind(a) != sequenceKind(b) || la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object other = mapGet(mb, e.getKey(), Py.class);
                if (other == Py.class || !eq(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static int sequenceKind(Object list) {
        return list instanceof PyTuple ? 1 : list instanceof PyRange ? 2 : 0;
    }

    /** Looks a key up the way a Python dict does: 1, 1.0 and True are the same key. */
    static Object mapGet(Map<?, ?> map, Object key, Object missing) {
        if (map.containsKey(key)) {
            return map.get(key);
        }
        if (isNumber(key) || key instanceof Markup) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (eq(e.getKey(), key)) {
                    return e.getValue();
                }
            }
        }
        return missing;
    }

    /** Stores a key the way a Python dict does: an equal key already present (1 for True) keeps its place. */
    static void dictPut(Map<Object, Object> map, Object key, Object value) {
        if (isNumber(key) && !map.containsKey(key)) {
            for (Map.Entry<Object, Object> e : map.entrySet()) {
                if (eq(e.getKey(), key)) {
                    e.setValue(value);
                    return;
                }
            }
        }
        map.put(key, value);
    }

    /** Python's ordering for {@code <, <=, >, >=}; returns negative, zero or positive. */
    static int compare(Object a, Object b, String op) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            return isInt(a) && isInt(b) ? Long.compare(toLong(a), toLong(b)) : Double.compare(toDouble(a), toDouble(b));
        }
        if (isString(a) && isString(b)) {
            return compareCodePoints(asString(a), asString(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && sequenceKind(a) == sequenceKind(b)) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        throw JinjaError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        switch (container) {
            case String s -> {
                return s.contains(substringOperand(item));
            }
            case Markup m -> {
                return m.text().contains(substringOperand(item));
            }
            case Map<?, ?> m -> {
                return mapGet(m, hashable(item), Py.class) != Py.class;
            }
            case DictView dv when dv.kind() == DictView.Kind.KEYS -> {
                return mapGet(dv.map(), hashable(item), Py.class) != Py.class;
            }
            case Undefined u -> {
                return false;
            }
            case null -> throw JinjaError.type("argument of type 'NoneType' is not iterable");
            default -> {
                if (!isIterable(container)) {
                    throw JinjaError.type("argument of type '" + typeName(container) + "' is not iterable");
                }
                if (container instanceof PyIterator it) {
                    while (it.hasNext()) {
                        if (eq(it.next(), item)) {
                            return true;
                        }
                    }
                    return false;
                }
                for (Object o : iterate(container)) {
                    if (eq(o, item)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /** Dict keys and set members must be hashable, which lists, dicts and dict views are not. */
    static Object hashable(Object key) {
        if (key instanceof List && !(key instanceof PyTuple) || key instanceof Map || key instanceof DictView) {
            throw JinjaError.type("unhashable type: '" + typeName(key) + "'");
        }
        return key;
    }

    private static String substringOperand(Object item) {
        if (!isString(item)) {
            throw JinjaError.type("'in <string>' requires string as left operand, not " + typeName(item));
        }
        return asString(item);
    }

    // ---- iteration and length ----------------------------------------------------------------------

    static boolean isIterable(Object v) {
        return v instanceof String || v instanceof Markup || v instanceof List || v instanceof Map
                || v instanceof Undefined || v instanceof PyIterator || v instanceof DictView;
    }

    /** The items a for loop over v would see (consuming v if it is an iterator). */
    @SuppressWarnings("unchecked")
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> (List<Object>) l;
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> PyStrings.characters(s);
            case Markup m -> PyStrings.characters(m.text());
            case Undefined u -> List.of();
            case PyIterator it -> it.drain();
            case DictView dv -> dv.elements();
            case null -> throw JinjaError.type("'NoneType' object is not iterable");
            default -> throw JinjaError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    static long len(Object v) {
        return switch (v) {
            case String s -> s.codePointCount(0, s.length());
            case Markup m -> m.text().codePointCount(0, m.text().length());
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case DictView dv -> dv.map().size();
            case Undefined u -> 0;
            case LoopState ls -> ls.length();
            case null, default -> throw JinjaError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    static boolean isCallable(Object v) {
        return v instanceof TemplateFunction;
    }
}
