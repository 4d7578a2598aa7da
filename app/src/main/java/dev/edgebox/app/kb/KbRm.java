package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.ingest.Ingestor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = {"Remove documents (by path, document id or unique file name) from a knowledge base,",
        "or with --drop the whole knowledge base."})
final class KbRm extends KbSubcommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "DOC")
    List<String> docs = List.of();

    @Option(names = "--drop", description = "Delete the knowledge base itself, with all its documents.")
    boolean drop;

    @Override
    int run(KnowledgeBases bases) {
        if (drop) {
            if (!docs.isEmpty()) throw new KnowledgeException("--drop deletes the whole knowledge base; give no documents with it");
            bases.drop(name);
            out().println("deleted knowledge base '" + name + "'");
            return 0;
        }
        if (docs.isEmpty()) throw new KnowledgeException("no document given; expected 'kb rm " + name + " DOC...' or 'kb rm " + name + " --drop'");
        KnowledgeBase kb = bases.get(name);
        for (String doc : docs) {
            String id = resolve(kb, doc);
            kb.remove(id);
            out().println("removed " + id);
        }
        return 0;
    }

    /** A path on disk, an exact document id, or a file name that only one document has. */
    private static String resolve(KnowledgeBase kb, String doc) {
        if (kb.document(doc).isPresent()) return doc;
        Path p = Path.of(doc);
        if (Files.exists(p) && kb.document(Ingestor.documentId(p)).isPresent()) return Ingestor.documentId(p);
        List<DocumentRecord> byName = kb.documents().stream()
                .filter(r -> Path.of(r.docId()).getFileName() != null && Path.of(r.docId()).getFileName().toString().equals(doc)).toList();
        if (byName.size() == 1) return byName.getFirst().docId();
        if (byName.size() > 1) throw new KnowledgeException("'" + doc + "' names " + byName.size() + " documents; give the full path");
        throw new KnowledgeException("no document '" + doc + "' in knowledge base '" + kb.dir().getFileName() + "'; see 'edgebox kb list "
                + kb.dir().getFileName() + "'");
    }
}
