package dev.edgebox.server.format;

import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.grammar.StructuredOutput;

/**
 * The last gate before an answer leaves the server: with a format, {@code stop} is reported only
 * for text that passes {@link StructuredOutput#check}. Constrained decoding makes that the normal
 * case; what fails it is an answer something cut short (a stop string that appeared before the
 * answer was complete), which is reported as {@code length} like one cut by the token limit.
 */
public final class OutputCheck {
    private OutputCheck() {}

    public static FinishReason finishReason(StructuredOutput format, GenerationResult r) {
        if (format == null || r.finishReason() != FinishReason.STOP) return r.finishReason();
        return format.check(r.text()) == null ? FinishReason.STOP : FinishReason.LENGTH;
    }

    /** Why the text is not a valid answer in the format, or null when it is (or there is no format). */
    public static String problem(StructuredOutput format, GenerationResult r) {
        if (r.finishReason() != FinishReason.STOP) return "the answer was cut short (" + r.finishReason().apiName() + ") before it was complete";
        if (format == null) return null;
        String why = format.check(r.text());
        return why == null ? null : "the answer is not valid: " + why;
    }
}
