package dev.edgebox.server.scheduler;

/** A request's deadline passed while it was still waiting for a slot. */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(long waitedMillis) {
        super("the request waited " + waitedMillis + " ms for a free slot and reached its deadline; retry later");
    }
}
