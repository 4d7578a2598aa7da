package dev.edgebox.engine.grammar;

/** A JSON Schema that cannot be compiled: malformed, unsatisfiable, or using a keyword outside the supported subset. */
public class JsonSchemaException extends GrammarException {
    public JsonSchemaException(String message) {
        super(message);
    }
}
