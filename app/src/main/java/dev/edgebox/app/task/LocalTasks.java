package dev.edgebox.app.task;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.format.FormatCache;
import dev.edgebox.server.scheduler.Scheduler;
import dev.edgebox.server.scheduler.SchedulerConfig;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskPrompts;
import dev.edgebox.server.tasks.TaskRegistry;
import dev.edgebox.server.tasks.TaskRunner;
import dev.edgebox.server.tasks.Tasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Tasks in this process, without HTTP: the model, a continuous-batching scheduler with several
 * slots (items are generated together, and the shared prompt prefix of a task is computed once per
 * slot), and the task registry. What {@code edgebox task} and {@code edgebox task eval} run on.
 */
final class LocalTasks implements AutoCloseable {
    private final Model model;
    private final Scheduler scheduler;
    private final Tasks tasks;
    private final int slots;

    /**
     * @param slots     sequences generated at once
     * @param tasksDir  task files (null: built-ins only)
     * @param maxTokens most tokens an answer may take
     */
    LocalTasks(Path modelPath, dev.edgebox.engine.model.ModelOptions options, int slots, Path tasksDir, int maxTokens) {
        if (slots < 1) throw new EngineException("--parallel must be at least 1, got " + slots);
        if (slots > options.batchSize()) {
            throw new EngineException("--parallel (" + slots + ") must not exceed --batch (" + options.batchSize() + "): each step holds one token per slot");
        }
        this.model = Model.open(modelPath, options);
        try {
            Tokenizer tokenizer = Tokenizer.fromMetadata(model.file().metadata());
            // The queue holds what the batch keeps in flight beyond the slots.
            this.scheduler = new Scheduler(model, tokenizer, new SchedulerConfig(slots, slots * 2, options.batchSize()),
                    dev.edgebox.server.scheduler.SchedulerListener.NONE, t -> System.err.println("edgebox: scheduler error: " + t)).start();
            TaskRunner runner = new TaskRunner(scheduler, TaskPrompts.of(model.file().metadata(), tokenizer), new FormatCache(), maxTokens,
                    (Duration) null, UnaryOperator.identity());
            this.tasks = new Tasks(registry(tasksDir), runner);
            this.slots = slots;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The task files in dir, or the built-ins only when dir is null. */
    static TaskRegistry registry(Path dir) {
        return dir == null ? TaskRegistry.builtInOnly() : TaskRegistry.open(dir);
    }

    Tasks tasks() {
        return tasks;
    }

    TaskDefinition task(String name) {
        return tasks.registry().get(name);
    }

    /** A batch of one task over this process's slots; formatOverride null keeps the task's own format. */
    BatchRunner batch(TaskDefinition task, Map<String, Object> params, StructuredOutput formatOverride) {
        return new BatchRunner(tasks.runner(), task, params, formatOverride, inFlight());
    }

    /** Items kept in flight: every slot busy and as many waiting, so a slot never idles between items. */
    int inFlight() {
        return slots * 2;
    }

    @Override
    public void close() {
        scheduler.shutdown(Duration.ZERO);
        model.close();
    }
}
