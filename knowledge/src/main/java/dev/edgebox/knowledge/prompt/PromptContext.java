package dev.edgebox.knowledge.prompt;

import java.util.List;

/**
 * The context for answering a question from a knowledge base: numbered sources within a token
 * budget, ready to put in a prompt.
 *
 * @param context the sources block: "[1] file, p. 3\ntext\n\n[2] ..."
 * @param tokens tokens of {@code context}, by the builder's counter
 */
public record PromptContext(String question, String context, List<Source> sources, int tokens) {

    public static final String INSTRUCTION = """
            Answer the question using only the numbered sources below. After each sentence that uses a source, \
            cite it as [1], [2] and so on. If the sources do not contain the answer, say that you do not know.""";

    /** A complete user message: instruction, sources, question. */
    public String userMessage() {
        return INSTRUCTION + "\n\nSources:\n\n" + context + "\n\nQuestion: " + question;
    }

    /** The list printed under an answer: "[1] manual.pdf, p. 3". */
    public String references() {
        StringBuilder sb = new StringBuilder();
        for (Source s : sources) sb.append('[').append(s.number()).append("] ").append(s.citation()).append('\n');
        return sb.toString();
    }
}
