package dev.edgebox.engine.template;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. Jinja2 gives every for-loop iteration, macro call and
 * with block a scope of its own, so a {@code set} there does not leak out; that is why templates use
 * namespace() to carry state out of loops.
 */
final class Scope {
    static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Scope child() {
        return new Scope(this);
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Map<String, Object> vars = s.variables;
            Object value = vars.get(name);
            if (value != null || vars.containsKey(name)) {
                return value;
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
