package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.index.IndexStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "list", description = "List the knowledge bases, or the documents of one.")
final class KbList extends KbSubcommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    int run(KnowledgeBases bases) throws Exception {
        if (name == null) {
            if (bases.names().isEmpty() && !json) out().println("no knowledge bases in " + bases.root());
            for (String n : bases.names()) {
                KnowledgeBase kb = bases.get(n);
                IndexStats s = kb.stats();
                if (json) out().println(KbQueryCommand.JSON.writeValueAsString(new KbStats.Summary(n, kb.config(), s)));
                else out().printf("%-24s %6d documents %8d chunks  %s%n", n, s.documents(), s.chunks(), EmbedderOptions.describe(kb.config()));
            }
            return 0;
        }
        KnowledgeBase kb = bases.get(name);
        for (DocumentRecord r : kb.documents()) {
            if (json) {
                out().println(KbQueryCommand.JSON.writeValueAsString(r));
            } else {
                String pages = r.pages() == 0 ? "" : r.pages() + ("SLIDE".equals(r.pageUnit()) ? " slides" : " pages");
                out().printf("%s  %5d chunks  %-10s %s%n", TIME.format(Instant.ofEpochMilli(r.addedAt())), r.chunks(), pages, r.docId());
            }
        }
        return 0;
    }
}
