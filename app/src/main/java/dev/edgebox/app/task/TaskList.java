package dev.edgebox.app.task;

import dev.edgebox.server.tasks.OutputSpec;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgebox task list}: the tasks there are, and the task files that do not load. No model needed. */
@Command(name = "list", description = "List the tasks: the built-ins and those in the tasks directory.")
final class TaskList implements Callable<Integer> {
    @Option(names = "--tasks-dir", paramLabel = "DIR", description = "Task files besides the built-ins (default: $EDGEBOX_HOME/tasks or ~/.edgebox/tasks; 'off' = built-ins only).")
    String tasksDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TaskRegistry registry = LocalTasks.registry(TaskOptions.tasksDir(tasksDir));
        PrintWriter out = spec.commandLine().getOut();
        for (TaskDefinition t : registry.list()) {
            out.printf("%-12s %-34s %s%n", t.name(), output(t.output()), t.description());
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String e : registry.errors()) err.println("edgebox: not loaded: " + e);
        out.flush();
        err.flush();
        return registry.errors().isEmpty() ? 0 : 1;
    }

    static String output(OutputSpec o) {
        return switch (o.kind()) {
            case TEXT -> "text";
            case JSON -> "json";
            case CHOICES -> o.param() != null ? "one of params." + o.param() : "one of " + String.join("/", o.choices());
            case SCHEMA -> o.param() != null ? "json, schema in params." + o.param() : "json (schema)";
            case REGEX -> "regex";
            case GRAMMAR -> "grammar";
        };
    }
}
