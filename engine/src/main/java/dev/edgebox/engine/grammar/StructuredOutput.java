package dev.edgebox.engine.grammar;

import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an answer must look like, built once per request (or once per task and reused): a JSON
 * Schema, any JSON, a regular expression, a list of choices or a GBNF grammar. It gives the
 * grammar for constrained decoding ({@link #newConstraint}, one per generation) and a check of
 * the finished text ({@link #check}) so that no invalid answer leaves the server even if
 * generation was cut short. Immutable and thread-safe.
 *
 * <p>Errors in the request (bad schema, unsupported keyword, bad regex) throw subclasses of
 * {@link GrammarException} when the object is built; {@link UnsupportedSchemaException#keyword()}
 * names an unsupported keyword.
 */
public final class StructuredOutput {
    public enum Kind { JSON_SCHEMA, JSON, REGEX, CHOICES, GRAMMAR }

    private final Kind kind;
    private final Grammar grammar;
    private final JsonSchemaValidator validator;
    private final boolean objectOnly;
    private final Pattern regex;
    private final List<String> choices;

    private StructuredOutput(Kind kind, Grammar grammar, JsonSchemaValidator validator, boolean objectOnly, Pattern regex,
                             List<String> choices) {
        this.kind = kind;
        this.grammar = grammar;
        this.validator = validator;
        this.objectOnly = objectOnly;
        this.regex = regex;
        this.choices = choices;
    }

    /** JSON that conforms to the schema (OpenAI json_schema, Ollama format: {schema}). */
    public static StructuredOutput jsonSchema(String schemaJson) {
        return jsonSchema(schemaJson, JsonOptions.DEFAULT);
    }

    public static StructuredOutput jsonSchema(String schemaJson, JsonOptions options) {
        Object schema = SchemaDocument.parse(schemaJson);
        Grammar g = JsonSchemaCompiler.compileParsed(schema, options);
        return new StructuredOutput(Kind.JSON_SCHEMA, g, new JsonSchemaValidator(schema), false, null, null);
    }

    /** Any JSON value, or any JSON object when objectOnly (OpenAI json_object, Ollama format: "json"). */
    public static StructuredOutput json(boolean objectOnly) {
        return json(objectOnly, JsonOptions.DEFAULT);
    }

    public static StructuredOutput json(boolean objectOnly, JsonOptions options) {
        return new StructuredOutput(Kind.JSON, JsonSchemaCompiler.anyJson(objectOnly, options), null, objectOnly, null, null);
    }

    /** Text the regular expression matches in full (guided_regex). */
    public static StructuredOutput regex(String regex) {
        Grammar g = RegexCompiler.compile(regex);
        return new StructuredOutput(Kind.REGEX, g, null, false, Pattern.compile(regex), null);
    }

    /** Exactly one of the choices (guided_choice, classification labels). */
    public static StructuredOutput choices(List<String> choices) {
        if (choices == null || choices.isEmpty()) throw new GrammarException("choices must list at least one option");
        List<Expr> options = new ArrayList<>();
        for (String c : choices) {
            if (c == null) throw new GrammarException("choices must be strings");
            options.add(Expr.lit(c));
        }
        Grammar g = Grammar.of(Map.of("root", Expr.alt(options)), "root");
        return new StructuredOutput(Kind.CHOICES, g, null, false, null, List.copyOf(choices));
    }

    /** Text of a GBNF grammar (llama.cpp's notation; the start rule is "root"). */
    public static StructuredOutput grammar(String gbnf) {
        return new StructuredOutput(Kind.GRAMMAR, Grammar.parse(gbnf), null, false, null, null);
    }

    public Kind kind() {
        return kind;
    }

    public Grammar grammar() {
        return grammar;
    }

    /** A fresh constraint for one generation: pass it to the Generator's logit processors. */
    public GrammarConstraint newConstraint(Tokenizer tokenizer) {
        return new GrammarConstraint(grammar, tokenizer);
    }

    /** Why the finished output is not acceptable, or null if it is. Checks independently of the grammar where it can. */
    public String check(String output) {
        return switch (kind) {
            case JSON_SCHEMA -> validator.check(output);
            case JSON -> {
                try {
                    Object v = Json.parse(output);
                    yield objectOnly && !(v instanceof Map) ? "the output is JSON but not an object" : null;
                } catch (Json.SyntaxException e) {
                    yield e.getMessage();
                }
            }
            case REGEX -> regex.matcher(output).matches() ? null : "the output does not match the regular expression";
            case CHOICES -> choices.contains(output) ? null : "the output is not one of the choices";
            case GRAMMAR -> grammar.matches(output) ? null : "the output does not match the grammar";
        };
    }

    /** Whether the output is JSON (schema or json kinds), so that a caller can return it parsed. */
    public boolean isJson() {
        return kind == Kind.JSON_SCHEMA || kind == Kind.JSON;
    }
}
