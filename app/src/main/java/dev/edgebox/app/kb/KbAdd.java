package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.ingest.Ingestor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", description = {
        "Add files and directories (walked for .pdf .docx .pptx .html .md .txt) to a knowledge base.",
        "A changed file replaces its old version; an unchanged one is skipped. A file reported as added survives a crash."})
final class KbAdd extends KbSubcommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<Path> paths;

    @Option(names = "--create", description = "Create the knowledge base with default settings if it does not exist.")
    boolean create;

    @Option(names = {"-q", "--quiet"}, description = "No progress, only the summary.")
    boolean quiet;

    @Override
    int run(KnowledgeBases bases) {
        if (create && !bases.exists(name)) bases.create(name, KbConfig.defaults());
        KnowledgeBase kb = bases.get(name);
        List<Path> files = Ingestor.expand(paths);
        if (files.isEmpty()) throw new KnowledgeException("no documents to add under " + paths + "; expected .pdf .docx .pptx .html .md or .txt files");
        AddProgress progress = new AddProgress(err(), files, System.console() != null);
        long start = System.nanoTime();
        Ingestor.Report report = new Ingestor(kb).ingest(files, quiet ? new Ingestor.Listener() { } : progress);
        progress.done();
        double s = (System.nanoTime() - start) / 1e9;
        out().printf("%s: %d added, %d updated, %d unchanged, %d failed; %d pages, %d chunks in %.1f s (%.1f chunks/s)%n",
                name, report.added(), report.updated(), report.unchanged(), report.failed(), report.pages(), report.chunks(), s,
                report.chunks() / Math.max(s, 1e-3));
        if (report.failed() > 0) {
            out().println("errors:");
            for (Map.Entry<Path, String> e : report.errors().entrySet()) out().printf("  %s: %s%n", e.getKey(), e.getValue());
            return 2;
        }
        return 0;
    }
}
