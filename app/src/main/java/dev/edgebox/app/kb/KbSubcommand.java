package dev.edgebox.app.kb;

import dev.edgebox.engine.EngineException;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Shared plumbing of the kb subcommands: the bases root, and user errors as one line. */
abstract class KbSubcommand implements Callable<Integer> {
    /** Lucene announces its vector code on stderr through java.util.logging; a command-line user needs none of it. */
    private static final Logger LUCENE_LOG = Logger.getLogger("org.apache.lucene");

    static {
        LUCENE_LOG.setLevel(Level.WARNING);
    }

    @ParentCommand
    KbCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (KnowledgeBases bases = parent.bases()) {
            return run(bases);
        } catch (KnowledgeException e) {
            throw new EngineException(e.getMessage(), e); // printed as one line by Main
        }
    }

    abstract int run(KnowledgeBases bases) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
