package dev.edgebox.server.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the task for free text ({@code task: "auto"}). First the rules: each candidate task's
 * keywords and patterns are searched in the input, and the task with the most hits wins (ties go to
 * the hit nearest the start: "translate this summary" is a translation). When no rule matches, the
 * model classifies the request zero-shot among the candidates' names and descriptions, constrained
 * to exactly one of the names. Candidates are the routable tasks that can run the call as it is
 * (a task whose output needs labels or a schema is a candidate only when the call brings them).
 */
public final class TaskRouter {
    /** Text of the input the model stage reads: enough to tell what is asked, short enough for any context. */
    static final int MODEL_STAGE_CHARS = 1000;
    static final String FALLBACK = "chat";

    /**
     * @param stage      "rules" (a keyword or pattern matched), "model" (zero-shot classification),
     *                   "only_candidate", or "fallback" (the model's answer was cut short)
     * @param matched    the keyword or pattern that decided, for "rules"
     * @param candidates the tasks that were considered
     * @param raw        the model's answer, for "model" and "fallback"
     */
    public record Decision(String task, String stage, String matched, List<String> candidates, String raw) {}

    record Hit(TaskDefinition task, int hits, int first, String what) {}

    private final TaskRegistry registry;
    private final TaskRunner runner;

    public TaskRouter(TaskRegistry registry, TaskRunner runner) {
        this.registry = registry;
        this.runner = runner;
    }

    public Decision route(TaskCall call) throws InterruptedException {
        if (call.input() == null || call.input().isBlank()) throw TaskException.badParam("input", "is required: the text to route");
        List<TaskDefinition> candidates = candidates(call);
        List<String> names = candidates.stream().map(TaskDefinition::name).toList();
        if (candidates.isEmpty()) {
            throw TaskException.badParam("params", "fit no routable task: each task refused some of them; name the task instead of 'auto'");
        }
        Hit best = rules(call.input(), candidates);
        if (best != null) return new Decision(best.task().name(), "rules", best.what(), names, null);
        if (candidates.size() == 1) return new Decision(names.getFirst(), "only_candidate", null, names, null);
        TaskResult r = runner.run(routingTask(candidates), TaskCall.of(head(call.input())));
        if (r.ok()) return new Decision((String) r.output(), "model", null, names, r.raw());
        return new Decision(names.contains(FALLBACK) ? FALLBACK : names.getFirst(), "fallback", null, names, r.raw());
    }

    /** The routable tasks that accept every parameter of the call (and get the ones their output needs). */
    List<TaskDefinition> candidates(TaskCall call) {
        List<TaskDefinition> out = new ArrayList<>();
        for (TaskDefinition t : registry.list()) {
            if (!t.route().routable()) continue;
            if (t.output().param() != null && !call.params().containsKey(t.output().param())) continue;
            boolean accepts = true;
            for (String key : call.params().keySet()) {
                if (!TaskFiles.SAMPLING_KEYS.contains(key) && !key.equals(t.output().param()) && !t.variables().containsKey(key)) accepts = false;
            }
            if (accepts) out.add(t);
        }
        return out;
    }

    /** The first stage: the candidate with the most keyword and pattern hits, or null when nothing matched. */
    static Hit rules(String input, List<TaskDefinition> candidates) {
        Hit best = null;
        for (TaskDefinition t : candidates) {
            int hits = 0, first = Integer.MAX_VALUE;
            String what = null;
            for (String k : t.route().keywords()) {
                int at = find(keywordPattern(k), input);
                if (at < 0) continue;
                hits++;
                if (at < first) {
                    first = at;
                    what = "keyword '" + k + "'";
                }
            }
            for (Pattern p : t.route().patterns()) {
                int at = find(p, input);
                if (at < 0) continue;
                hits++;
                if (at < first) {
                    first = at;
                    what = "pattern '" + p.pattern() + "'";
                }
            }
            if (hits == 0) continue;
            if (best == null || hits > best.hits() || hits == best.hits() && first < best.first()) best = new Hit(t, hits, first, what);
        }
        return best;
    }

    /** Words in Latin script match whole words ("summary" not in "summaryless"); other scripts have no spaces to go by. */
    static Pattern keywordPattern(String keyword) {
        int flags = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        if (keyword.codePoints().allMatch(c -> c < 0x250)) {
            return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(keyword) + "(?![\\p{L}\\p{N}])", flags);
        }
        return Pattern.compile(Pattern.quote(keyword), flags);
    }

    private static int find(Pattern p, String input) {
        Matcher m = p.matcher(input);
        return m.find() ? m.start() : -1;
    }

    /** Zero-shot routing as a task of its own: the candidates' names are the only answers allowed. */
    static TaskDefinition routingTask(List<TaskDefinition> candidates) {
        StringBuilder system = new StringBuilder("You route requests to the task that should handle them. The tasks:\n");
        for (TaskDefinition t : candidates) {
            system.append("- ").append(t.name()).append(": ").append(t.description().isBlank() ? t.name() : t.description()).append('\n');
        }
        system.append("Answer with the name of one task.");
        List<String> names = candidates.stream().map(TaskDefinition::name).toList();
        return new TaskDefinition("route", "Picks the task for a request.", system.toString().replace("{{", "{ {"), "Request: {{input}}",
                new OutputSpec(OutputSpec.Kind.CHOICES, names, null, null), Map.of(), List.of(),
                new TaskSampling(0f, null, null, null, null, null, 16), new RouteRules(List.of(), List.of(), false), "router");
    }

    private static String head(String input) {
        if (input.length() <= MODEL_STAGE_CHARS) return input;
        int end = MODEL_STAGE_CHARS;
        if (Character.isHighSurrogate(input.charAt(end - 1))) end--;
        return input.substring(0, end);
    }
}
