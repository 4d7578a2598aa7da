package dev.edgebox.server.tasks;

import dev.edgebox.engine.EngineException;

/**
 * A task that cannot run as asked: an unknown task, a bad task file, a missing or wrong parameter.
 * The message names what was wrong and what was expected; {@link #param()} names the request field
 * (e.g. "params.labels") so the HTTP layer can answer 400 (404 for an unknown task) the way every
 * other route does, and the command line prints the message as one line.
 */
public final class TaskException extends EngineException {
    private final int status;
    private final String param;
    private final String code;

    public TaskException(String message) {
        this(400, message, null, null);
    }

    public TaskException(int status, String message, String param, String code) {
        super(message);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    static TaskException badParam(String param, String message) {
        return new TaskException(400, "'" + param + "' " + message, param, null);
    }

    /** The HTTP status that fits: 400, or 404 for a task that does not exist. */
    public int status() {
        return status;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** A machine-readable code ("task_not_found", "unsupported_schema_keyword", ...), or null. */
    public String code() {
        return code;
    }
}
