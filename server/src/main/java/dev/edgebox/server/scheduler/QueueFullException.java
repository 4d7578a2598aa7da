package dev.edgebox.server.scheduler;

/** The waiting queue is full: the caller should try again later. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(int waiting) {
        super("the server is busy: " + waiting + " requests are already waiting; retry shortly");
    }
}
