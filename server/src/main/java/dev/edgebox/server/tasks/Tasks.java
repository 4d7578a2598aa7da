package dev.edgebox.server.tasks;

/**
 * The task registry, the runner and the router together: what the HTTP routes and the command line
 * need to run "a task by name, or the one the router picks".
 */
public final class Tasks {
    /** A call's answer and, for "auto", how its task was chosen. */
    public record Outcome(TaskResult result, TaskRouter.Decision route) {}

    public static final String AUTO = "auto";

    private final TaskRegistry registry;
    private final TaskRunner runner;
    private final TaskRouter router;

    public Tasks(TaskRegistry registry, TaskRunner runner) {
        this.registry = registry;
        this.runner = runner;
        this.router = new TaskRouter(registry, runner);
    }

    public TaskRegistry registry() {
        return registry;
    }

    public TaskRunner runner() {
        return runner;
    }

    public TaskRouter router() {
        return router;
    }

    /** Runs the named task, or routes first when the name is "auto". */
    public Outcome run(String name, TaskCall call) throws InterruptedException {
        long start = System.nanoTime();
        TaskRouter.Decision route = null;
        TaskDefinition task;
        if (name.equals(AUTO)) {
            route = router.route(call);
            task = registry.get(route.task());
        } else {
            task = registry.get(name);
        }
        TaskRunner.Prepared p = runner.prepare(task, call);
        return new Outcome(runner.finish(p, TaskRunner.await(runner.submit(p)), start), route);
    }
}
