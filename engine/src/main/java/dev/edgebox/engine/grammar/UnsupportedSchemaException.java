package dev.edgebox.engine.grammar;

/**
 * A JSON Schema keyword (or use of one) that constrained decoding does not support. It is an
 * error rather than being ignored, since ignoring it would let output through that the schema
 * forbids. A server answers 400 naming {@link #keyword()}.
 */
public final class UnsupportedSchemaException extends JsonSchemaException {
    private final String keyword;
    private final String path;

    public UnsupportedSchemaException(String keyword, String path, String detail) {
        super("JSON Schema keyword '" + keyword + "' at " + path + " is not supported"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.keyword = keyword;
        this.path = path;
    }

    /** The keyword, e.g. "patternProperties". */
    public String keyword() {
        return keyword;
    }

    /** Where in the schema, as a JSON pointer fragment, e.g. "#/properties/tags". */
    public String path() {
        return path;
    }
}
