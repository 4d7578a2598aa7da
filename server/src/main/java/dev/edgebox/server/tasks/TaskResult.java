package dev.edgebox.server.tasks;

/**
 * A task's answer.
 *
 * @param output       the answer: parsed JSON for JSON outputs, the text otherwise; null when a formatted
 *                     answer is not valid (cut short), so that no invalid answer is ever returned as one
 * @param raw          the generated text as it is
 * @param finishReason "stop" (a complete answer) or "length" (cut short: token limit, context, deadline)
 * @param error        why there is no output, or null
 * @param latencyNanos from the call to its answer, queueing included
 */
public record TaskResult(String task, Object output, String raw, String finishReason, int promptTokens, int completionTokens,
                         long latencyNanos, String error) {

    public boolean ok() {
        return error == null;
    }

    public double latencyMillis() {
        return Math.round(latencyNanos / 1e4) / 100.0;
    }
}
