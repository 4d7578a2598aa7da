package dev.edgebox.engine.template;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Variables visible at one point of a template. Jinja2 gives every for-loop iteration, macro call and
 * with or set block a scope of its own, so a {@code set} there does not leak out; that is why
 * templates use namespace() to carry state out of loops.
 */
final class Scope {
    static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();
    /** Names this frame owns but has not assigned yet: they read as undefined, not from outer scopes. */
    private final Set<String> unassigned;

    Scope(Scope parent) {
        this(parent, Set.of());
    }

    private Scope(Scope parent, Set<String> unassigned) {
        this.parent = parent;
        this.unassigned = unassigned;
    }

    Scope child() {
        return new Scope(this);
    }

    /** A scope for a frame that owns the given names from its start (see {@link Symbols}). */
    Scope child(Set<String> unassigned) {
        return new Scope(this, unassigned);
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Map<String, Object> vars = s.variables;
            Object value = vars.get(name);
            if (value != null || vars.containsKey(name)) {
                return value;
            }
            if (s.unassigned.contains(name)) {
                return MISSING;
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
