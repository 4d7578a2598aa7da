package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operators and member access with Python's rules as Jinja2's immutable sandbox applies them:
 * {@code x.name} tries the Python attribute first and then the item, {@code x[key]} the other way
 * round, and methods that would modify a list or dict are refused.
 */
final class PyOps {
    private PyOps() {}

    private static final Set<String> DICT_METHODS = Set.of("get", "items", "keys", "values", "copy", "fromkeys");
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_METHODS = Set.of("count", "index", "copy");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "clear", "pop", "reverse", "insert", "sort",
            "extend", "remove");

    // ---- member access -----------------------------------------------------------------------------

    /** {@code obj.name}. */
    static Object getAttr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        Object attribute = pythonAttribute(obj, name);
        if (attribute != Args.ABSENT) {
            return attribute;
        }
        return itemOrMissing(obj, name);
    }

    /** {@code obj[key]}. */
    static Object getItem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        Object item = itemOrMissing(obj, key);
        if (item instanceof Undefined && key instanceof String name) {
            Object attribute = pythonAttribute(obj, name);
            if (attribute != Args.ABSENT) {
                return attribute;
            }
        }
        return item;
    }

    private static Object itemOrMissing(Object obj, Object key) {
        switch (obj) {
            case Map<?, ?> m -> {
                Object v = Py.mapGet(m, Py.hashable(key), Args.ABSENT);
                if (v != Args.ABSENT) {
                    return v;
                }
            }
            case List<?> l when Py.isInt(key) -> {
                long i = Py.toLong(key);
                if (i < 0) {
                    i += l.size();
                }
                if (i >= 0 && i < l.size()) {
                    return l.get((int) i);
                }
            }
            case String s when Py.isInt(key) -> {
                int[] cps = PyStrings.codePoints(s);
                long i = Py.toLong(key);
                if (i < 0) {
                    i += cps.length;
                }
                if (i >= 0 && i < cps.length) {
                    return Character.toString(cps[(int) i]);
                }
            }
            case Markup m when Py.isInt(key) -> {
                return itemOrMissing(m.text(), key);
            }
            case null, default -> {
            }
        }
        return Undefined.member(obj, key);
    }

    /** The Python attribute name of obj, or ABSENT if its type has none by that name. */
    static Object pythonAttribute(Object obj, String name) {
        switch (obj) {
            case String s -> {
                if (PyStrings.hasAttribute(name)) {
                    return new BoundMethod(s, name, (args, kwargs) -> PyStrings.call(s, name, args, kwargs));
                }
            }
            case Markup m -> {
                if (PyStrings.hasAttribute(name)) {
                    return new BoundMethod(m, name, (args, kwargs) -> PyStrings.call(m.text(), name, args, kwargs));
                }
            }
            case Map<?, ?> m -> {
                if (DICT_MUTATORS.contains(name)) {
                    return Undefined.unsafe(obj, name);
                }
                if (DICT_METHODS.contains(name)) {
                    return new BoundMethod(m, name, (args, kwargs) -> dictMethod(m, name, args, kwargs));
                }
            }
            case List<?> l -> {
                if (LIST_MUTATORS.contains(name) && Py.isList(l)) {
                    return Undefined.unsafe(obj, name);
                }
                if (LIST_METHODS.contains(name) && !(name.equals("copy") && !Py.isList(l))) {
                    return new BoundMethod(l, name, (args, kwargs) -> listMethod(l, name, args, kwargs));
                }
            }
            case Namespace ns -> {
                return ns.attributes.containsKey(name) ? ns.attributes.get(name) : Undefined.member(ns, name);
            }
            case LoopState loop -> {
                return loop.attribute(name);
            }
            case Cycler cycler -> {
                return cycler.attribute(name);
            }
            case null, default -> {
            }
        }
        return Args.ABSENT;
    }

    @SuppressWarnings("unchecked")
    private static Object dictMethod(Map<?, ?> m, String name, List<Object> args, Map<String, Object> kwargs) {
        Map<Object, Object> map = (Map<Object, Object>) m;
        String fn = "dict." + name;
        return switch (name) {
            case "get" -> {
                Object[] a = Args.bind(fn, args, kwargs, "key", "default?");
                Object v = Py.mapGet(map, Py.hashable(a[0]), Args.ABSENT);
                yield v != Args.ABSENT ? v : Args.or(a[1], null);
            }
            case "items" -> {
                Args.bind(fn, args, kwargs);
                yield new DictView(map, DictView.Kind.ITEMS);
            }
            case "keys" -> {
                Args.bind(fn, args, kwargs);
                yield new DictView(map, DictView.Kind.KEYS);
            }
            case "values" -> {
                Args.bind(fn, args, kwargs);
                yield new DictView(map, DictView.Kind.VALUES);
            }
            case "copy" -> {
                Args.bind(fn, args, kwargs);
                yield new LinkedHashMap<>(map);
            }
            default -> throw JinjaError.unsupported("the dict method '" + name + "'");
        };
    }

    private static Object listMethod(List<?> l, String name, List<Object> args, Map<String, Object> kwargs) {
        String fn = "list." + name;
        return switch (name) {
            case "count" -> {
                Object x = Args.bind(fn, args, kwargs, "value")[0];
                yield l.stream().filter(o -> Py.eq(o, x)).count();
            }
            case "index" -> {
                Object x = Args.bind(fn, args, kwargs, "value")[0];
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), x)) {
                        yield (long) i;
                    }
                }
                throw JinjaError.value(Py.repr(x) + " is not in list");
            }
            case "copy" -> {
                Args.bind(fn, args, kwargs);
                yield new ArrayList<Object>(l);
            }
            default -> throw JinjaError.unsupported("the list method '" + name + "'");
        };
    }

    // ---- slicing -----------------------------------------------------------------------------------

    /** {@code obj[start:stop:step]}: Jinja2 slices with Python's own subscription, so failures are TypeErrors. */
    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (obj instanceof Map) {
            throw JinjaError.type("unhashable type: 'slice'");
        }
        if (!Py.isString(obj) && !(obj instanceof List)) {
            throw JinjaError.type("'" + Py.typeName(obj) + "' object is not subscriptable");
        }
        long st = sliceIndex(step, 1);
        if (st == 0) {
            throw JinjaError.value("slice step cannot be zero");
        }
        if (Py.isString(obj)) {
            int[] cps = PyStrings.codePoints(Py.asString(obj));
            StringBuilder out = new StringBuilder();
            for (int i : sliceIndices(cps.length, start, stop, st)) {
                out.appendCodePoint(cps[i]);
            }
            return out.toString();
        }
        List<?> l = (List<?>) obj;
        List<Object> out = new ArrayList<>();
        for (int i : sliceIndices(l.size(), start, stop, st)) {
            out.add(l.get(i));
        }
        return obj instanceof PyTuple ? PyTuple.copyOf(out) : out;
    }

    private static long sliceIndex(Object v, long absent) {
        if (v == null) {
            return absent;
        }
        if (!Py.isInt(v)) {
            throw JinjaError.type("slice indices must be integers or None or have an __index__ method");
        }
        return Py.toLong(v);
    }

    private static int[] sliceIndices(int length, Object startValue, Object stopValue, long step) {
        long start;
        long stop;
        if (step > 0) {
            start = clamp(startValue == null ? 0 : sliceIndex(startValue, 0), length, 0, length);
            stop = clamp(stopValue == null ? length : sliceIndex(stopValue, 0), length, 0, length);
        } else {
            start = clamp(startValue == null ? length - 1 : sliceIndex(startValue, 0), length, -1, length - 1);
            stop = clamp(stopValue == null ? -1 - length : sliceIndex(stopValue, 0), length, -1, length - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add((int) i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long clamp(long index, int length, long low, long high) {
        if (index < 0) {
            index += length;
        }
        return Math.max(low, Math.min(high, index));
    }

    // ---- arithmetic --------------------------------------------------------------------------------

    private static void failOnUndefined(Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
    }

    private static JinjaError unsupported(String op, Object a, Object b) {
        return JinjaError.type("unsupported operand type(s) for " + op + ": '" + Py.typeName(a) + "' and '"
                + Py.typeName(b) + "'");
    }

    static Object add(Object a, Object b) {
        failOnUndefined(a, b);
        if ((a instanceof Markup || b instanceof Markup) && Py.isString(a) && Py.isString(b)) {
            return new Markup(Markup.of(a).text() + Markup.of(b).text());
        }
        if (Py.isNumber(a) && Py.isNumber(b)) {
            return Py.isInt(a) && Py.isInt(b) ? (Object) addExact(Py.toLong(a), Py.toLong(b))
                    : (Object) (Py.toDouble(a) + Py.toDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y && Py.typeName(a).equals(Py.typeName(b))
                && !(a instanceof PyRange)) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return a instanceof PyTuple ? PyTuple.copyOf(out) : out;
        }
        if (a instanceof String || Py.isList(a) || a instanceof PyTuple) {
            throw JinjaError.type("can only concatenate " + Py.typeName(a) + " (not \"" + Py.typeName(b) + "\") to "
                    + Py.typeName(a));
        }
        throw unsupported("+", a, b);
    }

    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    private static JinjaError overflow() {
        return new JinjaError("OverflowError", "integer result does not fit in 64 bits");
    }

    static Object sub(Object a, Object b) {
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.isInt(a) && Py.isInt(b)) {
                try {
                    return Math.subtractExact(Py.toLong(a), Py.toLong(b));
                } catch (ArithmeticException e) {
                    throw overflow();
                }
            }
            return Py.toDouble(a) - Py.toDouble(b);
        }
        throw unsupported("-", a, b);
    }

    static Object mul(Object a, Object b) {
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.isInt(a) && Py.isInt(b)) {
                try {
                    return Math.multiplyExact(Py.toLong(a), Py.toLong(b));
                } catch (ArithmeticException e) {
                    throw overflow();
                }
            }
            return Py.toDouble(a) * Py.toDouble(b);
        }
        if (Py.isInt(b) && (Py.isString(a) || a instanceof List)) {
            return repeat(a, Py.toLong(b));
        }
        if (Py.isInt(a) && (Py.isString(b) || b instanceof List)) {
            return repeat(b, Py.toLong(a));
        }
        if (Py.isString(a) || a instanceof List) {
            throw JinjaError.type("can't multiply sequence by non-int of type '" + Py.typeName(b) + "'");
        }
        if (Py.isString(b) || b instanceof List) {
            throw JinjaError.type("can't multiply sequence by non-int of type '" + Py.typeName(a) + "'");
        }
        throw unsupported("*", a, b);
    }

    /** Far beyond any prompt; a template asking for more is broken or hostile, and must not exhaust memory. */
    private static final long MAX_REPEAT = 50_000_000;

    private static Object repeat(Object seq, long times) {
        long size = Py.len(seq) * Math.max(0, times);
        if (size > MAX_REPEAT) {
            throw new JinjaError("MemoryError", "repetition would produce " + size + " items, more than " + MAX_REPEAT);
        }
        if (Py.isString(seq)) {
            return times <= 0 ? "" : Py.asString(seq).repeat(Math.toIntExact(times));
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            out.addAll(Py.iterate(seq));
        }
        return seq instanceof PyTuple ? PyTuple.copyOf(out) : out;
    }

    static Object truediv(Object a, Object b) {
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.toDouble(b) == 0) {
                throw new JinjaError("ZeroDivisionError", Py.isInt(a) && Py.isInt(b) ? "division by zero"
                        : "float division by zero");
            }
            return Py.toDouble(a) / Py.toDouble(b);
        }
        throw unsupported("/", a, b);
    }

    static Object floordiv(Object a, Object b) {
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.toDouble(b) == 0) {
                throw new JinjaError("ZeroDivisionError", Py.isInt(a) && Py.isInt(b)
                        ? "integer division or modulo by zero" : "float floor division by zero");
            }
            if (Py.isInt(a) && Py.isInt(b)) {
                return Math.floorDiv(Py.toLong(a), Py.toLong(b));
            }
            return floatFloorDiv(Py.toDouble(a), Py.toDouble(b));
        }
        throw unsupported("//", a, b);
    }

    static Object mod(Object a, Object b) {
        if (Py.isString(a)) {
            String formatted = PyFormat.percent(Py.asString(a), b);
            return a instanceof Markup ? new Markup(formatted) : formatted;
        }
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.toDouble(b) == 0) {
                throw new JinjaError("ZeroDivisionError", Py.isInt(a) && Py.isInt(b)
                        ? "integer modulo by zero" : "float modulo");
            }
            if (Py.isInt(a) && Py.isInt(b)) {
                return Math.floorMod(Py.toLong(a), Py.toLong(b));
            }
            return floatMod(Py.toDouble(a), Py.toDouble(b));
        }
        throw unsupported("%", a, b);
    }

    /** CPython's float //, which rounds the exact quotient of x - x % y rather than flooring x / y. */
    private static double floatFloorDiv(double x, double y) {
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && ((y < 0) != (mod < 0))) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, x / y);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    /** Python's float %: fmod, then moved to the sign of the divisor. */
    private static double floatMod(double x, double y) {
        double m = x % y;
        if (m != 0 && ((y < 0) != (m < 0))) {
            m += y;
        } else if (m == 0) {
            m = Math.copySign(0.0, y);
        }
        return m;
    }

    static Object pow(Object a, Object b) {
        failOnUndefined(a, b);
        if (Py.isNumber(a) && Py.isNumber(b)) {
            if (Py.isInt(a) && Py.isInt(b) && Py.toLong(b) >= 0) {
                long base = Py.toLong(a);
                long result = 1;
                try {
                    for (long e = Py.toLong(b); e > 0; e--) {
                        result = Math.multiplyExact(result, base);
                    }
                } catch (ArithmeticException e) {
                    throw overflow();
                }
                return result;
            }
            double x = Py.toDouble(a);
            double y = Py.toDouble(b);
            if (x == 0 && y < 0) {
                throw new JinjaError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
            }
            return Math.pow(x, y);
        }
        throw unsupported("** or pow()", a, b);
    }

    static Object negate(Object a) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (a instanceof Double d) {
            return -d;
        }
        if (Py.isInt(a)) {
            return -Py.toLong(a);
        }
        throw JinjaError.type("bad operand type for unary -: '" + Py.typeName(a) + "'");
    }

    static Object plus(Object a) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (a instanceof Double) {
            return a;
        }
        if (Py.isInt(a)) {
            return Py.toLong(a);
        }
        throw JinjaError.type("bad operand type for unary +: '" + Py.typeName(a) + "'");
    }
}
