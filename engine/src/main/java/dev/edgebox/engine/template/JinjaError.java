package dev.edgebox.engine.template;

/**
 * A runtime error while rendering, named after the Python exception Jinja2 would raise (TypeError,
 * UndefinedError, ...). The renderer adds the template line and turns it into a {@link TemplateException}.
 */
final class JinjaError extends RuntimeException {
    static final String RAISED = "TemplateError";

    private final String kind;

    JinjaError(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static JinjaError type(String message) {
        return new JinjaError("TypeError", message);
    }

    static JinjaError value(String message) {
        return new JinjaError("ValueError", message);
    }

    static JinjaError unsupported(String what) {
        return new JinjaError("NotSupported", what + " is not supported by edgebox's template engine");
    }

    String kind() {
        return kind;
    }

    boolean raisedByTemplate() {
        return RAISED.equals(kind);
    }
}
