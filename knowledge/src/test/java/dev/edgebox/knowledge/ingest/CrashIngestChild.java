package dev.edgebox.knowledge.ingest;

import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The process {@link CrashRecoveryTest} kills: ingests every file of a directory into a knowledge
 * base and prints "ACK id hash" for each document the moment it is acknowledged.
 */
public final class CrashIngestChild {
    private CrashIngestChild() {}

    public static void main(String[] args) throws IOException {
        Path kbDir = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            files = s.sorted().toList();
        }
        try (KnowledgeBase kb = KnowledgeBase.open(kbDir, id -> new HashingEmbedder())) {
            System.out.println("READY");
            System.out.flush();
            new Ingestor(kb).ingest(files, new Ingestor.Listener() {
                @Override
                public void acknowledged(Path file, KnowledgeBase.Outcome outcome) {
                    System.out.println("ACK " + outcome.record().docId() + " " + outcome.record().contentHash());
                    System.out.flush();
                }
            });
        }
        System.out.println("DONE");
    }
}
