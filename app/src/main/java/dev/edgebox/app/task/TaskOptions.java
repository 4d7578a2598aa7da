package dev.edgebox.app.task;

import dev.edgebox.app.ModelArgs;
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
        if ("off".equals(tasksDir)) return null;
        return tasksDir == null ? TaskRegistry.defaultDir() : Path.of(tasksDir);
    }

    /** The tasks, without a model (to check a name before loading one). */
    TaskRegistry registry() {
        Path dir = tasksDir();
        return dir == null ? TaskRegistry.builtInOnly() : TaskRegistry.open(dir);
    }

    LocalTasks open() {
        if (maxTokens < 1) throw new dev.edgebox.engine.EngineException("--max-tokens must be at least 1, got " + maxTokens);
        return new LocalTasks(model.requireModel(), model.options(), parallel, tasksDir(), maxTokens);
    }
}
