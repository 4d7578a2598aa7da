package dev.edgebox.server.scheduler;

/** The scheduler is shutting down (or has) and takes no more work. */
public final class SchedulerClosedException extends RuntimeException {
    public SchedulerClosedException() {
        super("the server is shutting down and accepts no new requests");
    }
}
