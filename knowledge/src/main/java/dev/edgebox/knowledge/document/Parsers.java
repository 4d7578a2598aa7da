package dev.edgebox.knowledge.document;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Picks the parser for a file by its extension. */
public final class Parsers {
    private static final Map<String, DocumentParser> BY_EXTENSION = Map.of(
            "pdf", new PdfParser(),
            "docx", new DocxParser(),
            "pptx", new PptxParser(),
            "html", new HtmlParser(),
            "htm", new HtmlParser(),
            "md", new MarkdownParser(),
            "markdown", new MarkdownParser(),
            "txt", new TextParser(),
            "text", new TextParser());

    private Parsers() {}

    /**
     * POI (and PDFBox, through commons-logging) log through log4j-api, which complains on stderr when
     * no log4j backend is present; its simple logger (errors only) is all we need. Called before the
     * first parser touches its library.
     */
    static void quietLibraryLogging() {
        if (System.getProperty("log4j2.loggerContextFactory") == null) {
            System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
    }

    /** The extensions we read, sorted, without dots. */
    public static Set<String> extensions() {
        return new TreeSet<>(BY_EXTENSION.keySet());
    }

    public static boolean supports(String fileName) {
        return BY_EXTENSION.containsKey(extensionOf(fileName));
    }

    public static ParsedDocument parse(SourceFile file) {
        DocumentParser parser = BY_EXTENSION.get(file.extension());
        if (parser == null) {
            throw new KnowledgeException(file.fileName() + ": unsupported file type '." + file.extension()
                    + "'; expected one of " + String.join(", ", extensions()));
        }
        return parser.parse(file);
    }

    private static String extensionOf(String name) {
        return new SourceFile(name, new byte[0]).extension();
    }
}
