package dev.edgebox.app.task;

import dev.edgebox.app.ModelArgs;
import dev.edgebox.engine.EngineException;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the task commands share: the model, the slots that batch items, the tasks directory. */
public final class TaskOptions {
    @Mixin
    ModelArgs model;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", defaultValue = "4", description = "Items generated at once, each in its own slot (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "1024", description = "Most tokens an answer may take (default: ${DEFAULT-VALUE}; a task's own limit may be lower).")
    int maxTokens;

    @Option(names = "--tasks-dir", paramLabel = "DIR", description = "Task files besides the built-ins (default: $EDGEBOX_HOME/tasks or ~/.edgebox/tasks; 'off' = built-ins only).")
    String tasksDir;

    /** The tasks directory, or null for built-ins only. */
    Path tasksDir() {
        return tasksDir(tasksDir);
    }

    /** The directory a --tasks-dir value names: the default one when unset, null ('off') for built-ins only. */
    static Path tasksDir(String option) {
        if ("off".equals(option)) return null;
        return option == null ? TaskRegistry.defaultDir() : Path.of(option);
    }

    /** The named task, looked up without a model, so that a mistyped name fails before any data is read or the model loads. */
    TaskDefinition task(String name) {
        return LocalTasks.registry(tasksDir()).get(name);
    }

    /** The model loaded with a scheduler of --parallel slots and the tasks. */
    LocalTasks open() {
        if (maxTokens < 1) throw new EngineException("--max-tokens must be at least 1, got " + maxTokens);
        return new LocalTasks(model.requireModel(), model.options(), parallel, tasksDir(), maxTokens);
    }
}
