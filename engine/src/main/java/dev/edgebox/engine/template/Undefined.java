package dev.edgebox.engine.template;

/**
 * Jinja2's default Undefined: prints as "", is false, iterates as empty and has length 0; any other use
 * (attribute, item, call, arithmetic, comparison) fails with the message Jinja2 would give.
 */
final class Undefined {
    private static final Object NO_OBJECT = new Object();

    private final String hint;
    private final Object obj;
    private final Object name;
    private final String errorKind;

    private Undefined(String hint, Object obj, Object name, String errorKind) {
        this.hint = hint;
        this.obj = obj;
        this.name = name;
        this.errorKind = errorKind;
    }

    /** A variable that does not exist. */
    static Undefined name(String name) {
        return new Undefined(null, NO_OBJECT, name, "UndefinedError");
    }

    /** A missing attribute or element of an existing value. */
    static Undefined member(Object obj, Object name) {
        return new Undefined(null, obj, name, "UndefinedError");
    }

    static Undefined hint(String hint) {
        return new Undefined(hint, NO_OBJECT, null, "UndefinedError");
    }

    /** What the immutable sandbox hands out for a method that would modify a list or dict. */
    static Undefined unsafe(Object obj, String attribute) {
        return new Undefined("access to attribute '" + attribute + "' of '" + Py.typeName(obj)
                + "' object is unsafe.", obj, attribute, "SecurityError");
    }

    String message() {
        if (hint != null) {
            return hint;
        }
        if (obj == NO_OBJECT) {
            return Py.repr(name) + " is undefined";
        }
        if (!(name instanceof String)) {
            return Py.objectTypeRepr(obj) + " has no element " + Py.repr(name);
        }
        return Py.repr(Py.objectTypeRepr(obj)) + " has no attribute " + Py.repr(name);
    }

    JinjaError error() {
        return new JinjaError(errorKind, message());
    }

    @Override
    public String toString() {
        return "";
    }
}
