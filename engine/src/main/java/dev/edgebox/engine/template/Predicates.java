package dev.edgebox.engine.template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/** Jinja2's tests: the names after {@code is}, also used by select, reject, selectattr and rejectattr. */
final class Predicates {
    private Predicates() {}

    private static final Map<String, BiPredicate<Object, List<Object>>> TESTS = new HashMap<>();

    private static void unary(String name, java.util.function.Predicate<Object> test) {
        TESTS.put(name, (v, args) -> {
            if (!args.isEmpty()) {
                throw JinjaError.type("test '" + name + "' takes no arguments");
            }
            return test.test(v);
        });
    }

    private static void binary(BiPredicate<Object, Object> test, String... names) {
        for (String name : names) {
            TESTS.put(name, (v, args) -> {
                if (args.size() != 1) {
                    throw JinjaError.type("test '" + name + "' takes one argument");
                }
                return test.test(v, args.getFirst());
            });
        }
    }

    static {
        unary("defined", v -> !(v instanceof Undefined));
        unary("undefined", v -> v instanceof Undefined);
        unary("none", v -> v == null);
        unary("boolean", v -> v instanceof Boolean);
        unary("false", v -> Boolean.FALSE.equals(v));
        unary("true", v -> Boolean.TRUE.equals(v));
        unary("integer", v -> v instanceof Long);
        unary("float", v -> v instanceof Double);
        unary("number", Py::isNumber);
        unary("string", Py::isString);
        unary("mapping", v -> v instanceof Map);
        unary("lower", v -> PyStrings.isLower(Py.str(v)));
        unary("upper", v -> PyStrings.isUpper(Py.str(v)));
        unary("escaped", v -> v instanceof Markup);
        unary("callable", v -> Py.isCallable(v) || v instanceof Undefined || v instanceof LoopState);
        unary("iterable", v -> Py.isIterable(v) || v instanceof LoopState);
        // len() and [] both work: strings, lists, tuples, dicts and (oddly) Undefined
        unary("sequence", v -> Py.isString(v) || v instanceof List || v instanceof Map || v instanceof Undefined);
        unary("odd", v -> Py.eq(PyOps.mod(v, 2L), 1L));
        unary("even", v -> Py.eq(PyOps.mod(v, 2L), 0L));
        unary("filter", v -> Py.isString(v) && Filters.exists(Py.asString(v)));
        unary("test", v -> Py.isString(v) && exists(Py.asString(v)));
        binary((v, n) -> Py.eq(PyOps.mod(v, n), 0L), "divisibleby");
        binary(Predicates::sameAs, "sameas");
        binary((v, seq) -> Py.contains(seq, v), "in");
        binary(Py::eq, "==", "eq", "equalto");
        binary((a, b) -> !Py.eq(a, b), "!=", "ne");
        binary((a, b) -> Py.compare(a, b, ">") > 0, ">", "gt", "greaterthan");
        binary((a, b) -> Py.compare(a, b, ">=") >= 0, ">=", "ge");
        binary((a, b) -> Py.compare(a, b, "<") < 0, "<", "lt", "lessthan");
        binary((a, b) -> Py.compare(a, b, "<=") <= 0, "<=", "le");
    }

    /** Python's {@code is}: None, booleans and CPython's cached small ints are singletons. */
    private static boolean sameAs(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.equals(y);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.equals(y) && x >= -5 && x <= 256;
        }
        return false;
    }

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        BiPredicate<Object, List<Object>> test = TESTS.get(name);
        if (test == null) {
            throw new JinjaError("TemplateRuntimeError", "No test named '" + name + "' found.");
        }
        if (!kwargs.isEmpty()) {
            throw JinjaError.type("test '" + name + "' got an unexpected keyword argument '"
                    + kwargs.keySet().iterator().next() + "'");
        }
        return test.test(value, args);
    }
}
