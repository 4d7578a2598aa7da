package dev.edgebox.engine.template;

import java.util.List;
import java.util.Map;

/**
 * Binds a call's positional and keyword arguments to named parameters, Python style. Absent optional
 * parameters come back as {@link #ABSENT} so each function applies its own defaults.
 */
final class Args {
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "<absent>";
        }
    };

    private Args() {}

    /**
     * @param params parameter names; a trailing '?' marks one as optional
     * @return one value per parameter, in order
     */
    static Object[] bind(String function, List<Object> args, Map<String, Object> kwargs, String... params) {
        if (args.size() > params.length) {
            throw JinjaError.type(function + "() takes at most " + params.length + " argument" + (params.length == 1 ? "" : "s")
                    + " (" + args.size() + " given)");
        }
        Object[] out = new Object[params.length];
        int matched = 0;
        for (int i = 0; i < params.length; i++) {
            boolean optional = params[i].endsWith("?");
            String name = optional ? params[i].substring(0, params[i].length() - 1) : params[i];
            if (i < args.size()) {
                if (kwargs.containsKey(name)) {
                    throw JinjaError.type(function + "() got multiple values for argument '" + name + "'");
                }
                out[i] = args.get(i);
            } else if (kwargs.containsKey(name)) {
                out[i] = kwargs.get(name);
                matched++;
            } else if (optional) {
                out[i] = ABSENT;
            } else {
                throw JinjaError.type(function + "() missing required argument '" + name + "'");
            }
        }
        if (matched != kwargs.size()) {
            for (String key : kwargs.keySet()) {
                boolean known = false;
                for (String p : params) {
                    known |= p.equals(key) || p.equals(key + "?");
                }
                if (!known) {
                    throw JinjaError.type(function + "() got an unexpected keyword argument '" + key + "'");
                }
            }
        }
        return out;
    }

    static Object or(Object value, Object fallback) {
        return value == ABSENT ? fallback : value;
    }

    static long intArg(String function, Object value) {
        if (!Py.isInt(value)) {
            throw JinjaError.type("'" + Py.typeName(value) + "' object cannot be interpreted as an integer");
        }
        return Py.toLong(value);
    }

    static String strArg(String function, Object value) {
        if (!Py.isString(value)) {
            throw JinjaError.type(function + "() argument must be str, not " + Py.typeName(value));
        }
        return Py.asString(value);
    }
}
