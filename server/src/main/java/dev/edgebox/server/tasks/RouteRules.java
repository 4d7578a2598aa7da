package dev.edgebox.server.tasks;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How the router's first stage recognises requests for a task: keywords (case-insensitive; words
 * of Latin script match whole words, others anywhere) and regular expressions searched in the
 * input. {@code routable: false} keeps a task out of automatic routing altogether.
 */
public record RouteRules(List<String> keywords, List<Pattern> patterns, boolean routable) {
    public static final RouteRules NONE = new RouteRules(List.of(), List.of(), true);

    public RouteRules {
        keywords = List.copyOf(keywords);
        patterns = List.copyOf(patterns);
    }
}
