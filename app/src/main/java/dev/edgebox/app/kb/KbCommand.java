package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBases;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgebox kb}: knowledge bases of local documents for retrieval-augmented answers. */
@Command(name = "kb", mixinStandardHelpOptions = true,
        description = "Knowledge bases: ingest PDF, Word, PowerPoint, HTML, Markdown and text; search them by keywords and vectors.",
        subcommands = {KbCreate.class, KbAdd.class, KbQueryCommand.class, KbList.class, KbRm.class, KbStats.class, KbEval.class, KbBench.class, KbServe.class})
public final class KbCommand implements Runnable {

    @Option(names = "--dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Directory holding the knowledge bases (default: $EDGEBOX_HOME/kb or ~/.edgebox/kb).")
    Path dir;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The knowledge bases under --dir or the default root. */
    KnowledgeBases bases() {
        return new KnowledgeBases(dir != null ? dir : KnowledgeBases.defaultRoot());
    }
}
