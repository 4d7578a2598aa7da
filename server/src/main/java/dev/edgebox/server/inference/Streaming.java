package dev.edgebox.server.inference;

import dev.edgebox.server.http.EventStream;
import dev.edgebox.server.scheduler.GenerationJob;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Pumps a generation's events into a streamed response until it ends. Whatever ends the pump
 * (the last event, a client that went away, an interrupt) cancels the request, so its slot is
 * free at the next step: a write to a closed connection fails, and while nothing is generated
 * (a long prompt being prefilled) a keep-alive is written every so often to find out.
 */
public final class Streaming {
    public static final Duration KEEP_ALIVE = Duration.ofMillis(500);

    /** How a dialect writes each kind of event. */
    public interface Format {
        void text(String piece) throws IOException;

        void done(GenerationJob.Done done) throws IOException;

        void failed(RuntimeException error) throws IOException;
    }

    private Streaming() {}

    public static void pump(GenerationJob job, EventStream stream, Format format) throws IOException {
        try {
            while (true) {
                GenerationJob.Event e = job.next(KEEP_ALIVE);
                switch (e) {
                    case null -> stream.keepAlive();
                    case GenerationJob.Text t -> format.text(t.text());
                    case GenerationJob.Done d -> {
                        format.done(d);
                        return;
                    }
                    case GenerationJob.Failed f -> {
                        format.failed(f.error());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming");
        } finally {
            job.cancel();
        }
    }

    /** Waits for the end of a generation that is not streamed; the text is in the result. */
    public static GenerationJob.Done await(GenerationJob job, ServedModel model) throws InterruptedException {
        try {
            GenerationJob.Event e = job.await();
            if (e instanceof GenerationJob.Failed f) throw model.refused(f.error());
            return (GenerationJob.Done) e;
        } finally {
            job.cancel();
        }
    }
}
