package dev.edgebox.engine.template;

import dev.edgebox.engine.EngineException;

/**
 * A chat template that could not be parsed or rendered. {@link #raisedByTemplate()} tells apart the
 * template refusing its input on purpose ({@code raise_exception("...")}, e.g. roles that do not
 * alternate) from a broken template; {@link #templateMessage()} is the bare message without location.
 */
public final class TemplateException extends EngineException {
    private final String templateMessage;
    private final int line;
    private final int column;
    private final boolean raisedByTemplate;

    TemplateException(String message, String templateMessage, int line, int column, boolean raisedByTemplate) {
        super(message);
        this.templateMessage = templateMessage;
        this.line = line;
        this.column = column;
        this.raisedByTemplate = raisedByTemplate;
    }

    static TemplateException syntax(String message, int line, int column) {
        return new TemplateException("chat template syntax error at line " + line + ", column " + column + ": "
                + message, message, line, column, false);
    }

    static TemplateException runtime(JinjaError error, int line) {
        String where = line > 0 ? " at line " + line : "";
        if (error.raisedByTemplate()) {
            return new TemplateException("chat template rejected the input" + where + ": " + error.getMessage(),
                    error.getMessage(), line, 0, true);
        }
        return new TemplateException("chat template error" + where + ": " + error.kind() + ": " + error.getMessage(),
                error.getMessage(), line, 0, false);
    }

    /** The message alone, as Jinja2 would word it (for raise_exception: the template's own text). */
    public String templateMessage() {
        return templateMessage;
    }

    /** 1-based line in the template source, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column for syntax errors, 0 for runtime errors. */
    public int column() {
        return column;
    }

    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
