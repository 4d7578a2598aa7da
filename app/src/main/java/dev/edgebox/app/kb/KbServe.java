package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.http.WebServer;
import dev.edgebox.server.kb.KbRoutes;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Serve the knowledge-base HTTP API (/v1/kb/...) until stopped.")
final class KbServe extends KbSubcommand {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = WebServer.LOOPBACK,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "64", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Override
    int run(KnowledgeBases bases) throws InterruptedException {
        Router router = new KbRoutes(bases).register(new Router());
        CountDownLatch stopped = new CountDownLatch(1);
        try (WebServer server = WebServer.start(host, port, router, (long) maxUploadMb << 20, t -> {
            System.err.println("edgebox: request failed: " + t);
        })) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            out().printf("serving knowledge bases from %s at %s/v1/kb (Ctrl-C to stop)%n", bases.root(), server.url());
            out().flush();
            stopped.await();
        }
        return 0;
    }
}
