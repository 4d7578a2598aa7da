package dev.edgebox.server.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task: a prompt recipe and the shape of its answer. The system prompt and the user template
 * may name {@code {{input}}}, the task's variables, and the parameter its output takes per call.
 *
 * @param variables names a call may set in its params, with their default values
 * @param examples  few-shot examples: each becomes a user turn and the assistant's answer
 * @param source    where it came from: "built-in" or the file
 */
public record TaskDefinition(String name, String description, String system, String template, OutputSpec output,
                             Map<String, String> variables, List<Example> examples, TaskSampling sampling, RouteRules route,
                             String source) {

    /** A worked example: the input, and the answer as text (JSON answers compact). */
    public record Example(String input, String output) {}

    public TaskDefinition {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        examples = List.copyOf(examples);
    }

    public boolean builtIn() {
        return source.equals(TaskFiles.BUILT_IN);
    }
}
