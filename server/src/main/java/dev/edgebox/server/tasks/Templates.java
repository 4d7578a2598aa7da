package dev.edgebox.server.tasks;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of task prompts: {@code {{name}}} (spaces inside the braces allowed) is replaced
 * by the value of {@code name}. Nothing else is special, so prompts may hold JSON and braces freely.
 */
final class Templates {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private Templates() {}

    /** The names a template uses, in order of first use. */
    static Set<String> names(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** The template with every placeholder replaced; every name must have a value (checked when the task was loaded). */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalStateException("no value for {{" + m.group(1) + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The parameter named by a value that is exactly one placeholder ("{{labels}}"), else null. */
    static String soleParam(String value) {
        Matcher m = PLACEHOLDER.matcher(value.strip());
        return m.matches() ? m.group(1) : null;
    }
}
