package dev.edgebox.server.tasks;

import java.util.Map;

/**
 * One request to a task: the input text and the call's params (the task's variables, the labels or
 * schema its output takes, sampling values), as JSON-like values: String, Number, Boolean, List, Map.
 */
public record TaskCall(String input, Map<String, Object> params) {
    public TaskCall {
        params = params == null ? Map.of() : params;
    }

    public static TaskCall of(String input) {
        return new TaskCall(input, Map.of());
    }
}
