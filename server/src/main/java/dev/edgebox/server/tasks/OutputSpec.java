package dev.edgebox.server.tasks;

import java.util.List;

/**
 * What a task's answer must be. Either fixed in the task (a list of choices, a JSON Schema, a
 * regular expression, a GBNF grammar, any JSON object) or supplied per call through a parameter
 * ({@code choices: "{{labels}}"}, {@code schema: "{{schema}}"}); free text has no format.
 *
 * @param choices the fixed choices (CHOICES without a param), else null
 * @param text    the fixed schema (compact JSON), regex or grammar, else null
 * @param param   the call parameter that supplies the choices or the schema, else null
 */
public record OutputSpec(Kind kind, List<String> choices, String text, String param) {
    public enum Kind {
        TEXT, CHOICES, SCHEMA, JSON, REGEX, GRAMMAR;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final OutputSpec TEXT = new OutputSpec(Kind.TEXT, null, null, null);

    public OutputSpec {
        choices = choices == null ? null : List.copyOf(choices);
    }

    /** Whether the answer is held to a format (and so returned only when it passes the check). */
    public boolean constrained() {
        return kind != Kind.TEXT;
    }

    /** Whether the answer is JSON, returned parsed. */
    public boolean json() {
        return kind == Kind.SCHEMA || kind == Kind.JSON;
    }
}
