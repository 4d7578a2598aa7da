package dev.edgebox.knowledge.chunk;

import dev.edgebox.knowledge.document.Block;
import dev.edgebox.knowledge.document.PageUnit;
import dev.edgebox.knowledge.document.ParsedDocument;
import dev.edgebox.knowledge.document.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a document into chunks of at most {@code chunkTokens} tokens. A heading (or a new slide)
 * always starts a new chunk; within a section whole paragraphs are kept together when the chunk is
 * already half full, else it fills sentence by sentence; a sentence longer than a chunk is cut
 * between words; a table row is never cut (a row longer than a chunk becomes a chunk of its own).
 * The next chunk of a section repeats the last sentences of the previous one, up to
 * {@code overlapTokens}.
 */
public final class Chunker {
    private static final Pattern WORD = Pattern.compile("\\p{IsHan}|[^\\s\\p{IsHan}]+\\s*|\\s+");

    private final TokenCounter counter;
    private final ChunkingOptions options;

    public Chunker(TokenCounter counter, ChunkingOptions options) {
        this.counter = counter;
        this.options = options;
    }

    public List<Chunk> chunk(ParsedDocument doc) {
        Builder b = new Builder();
        int lastPage = -1;
        for (Block block : doc.blocks()) {
            if (doc.unit() == PageUnit.SLIDE && block.page() != lastPage) b.newSlide();
            lastPage = block.page();
            switch (block.kind()) {
                case HEADING -> b.heading(block.level(), block.text(), block.page());
                case PARAGRAPH -> b.paragraph(pieces(block.text(), block.page()));
                case TABLE_ROW -> b.paragraph(List.of(new Piece(block.text(), counter.count(block.text()), block.page(), true)));
            }
        }
        b.newSlide();
        return b.chunks;
    }

    /** One piece per sentence; a sentence longer than a chunk is cut between words. */
    private List<Piece> pieces(String paragraph, int page) {
        List<Piece> pieces = new ArrayList<>();
        for (String sentence : SentenceSplitter.split(paragraph)) {
            int tokens = counter.count(sentence);
            if (tokens <= options.chunkTokens()) {
                pieces.add(new Piece(sentence, tokens, page, pieces.isEmpty()));
            } else {
                for (String part : cutBetweenWords(sentence)) {
                    pieces.add(new Piece(part, counter.count(part), page, pieces.isEmpty()));
                }
            }
        }
        return pieces;
    }

    /** Parts of about a quarter chunk (or the overlap, if smaller) so that overlap still works. */
    private List<String> cutBetweenWords(String sentence) {
        int target = Math.max(16, Math.min(options.overlapTokens(), options.chunkTokens() / 4));
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int tokens = 0;
        Matcher m = WORD.matcher(sentence);
        while (m.find()) {
            String word = m.group();
            int t = word.isBlank() ? 0 : counter.count(word);
            if (tokens + t > target && !part.isEmpty()) {
                parts.add(part.toString().strip());
                part.setLength(0);
                tokens = 0;
            }
            part.append(word);
            tokens += t;
        }
        if (!part.toString().isBlank()) parts.add(part.toString().strip());
        return parts;
    }

    private record Piece(String text, int tokens, int page, boolean startsParagraph) {}

    private record Heading(int level, String text, int page) {}

    private final class Builder {
        final List<Chunk> chunks = new ArrayList<>();
        final List<Heading> headings = new ArrayList<>();
        /** Headings on the stack that no chunk has carried yet; emitted alone if they end up empty. */
        final List<Heading> uncovered = new ArrayList<>();
        final List<Piece> current = new ArrayList<>();
        int tokens;
        int overlapPieces;

        void heading(int level, String text, int page) {
            endSection();
            popTo(level);
            uncovered.clear(); // the new heading's path carries its parents
            Heading h = new Heading(level, text, page);
            headings.add(h);
            uncovered.add(h);
        }

        void newSlide() {
            endSection();
            popTo(1);
        }

        /** Pops headings at or below this level; one that never had text under it becomes a chunk. */
        void popTo(int level) {
            while (!headings.isEmpty() && headings.getLast().level() >= level) {
                Heading h = headings.removeLast();
                if (uncovered.remove(h)) {
                    emit(List.of(new Piece(h.text(), counter.count(h.text()), h.page(), true)));
                }
            }
        }

        void paragraph(List<Piece> pieces) {
            if (pieces.isEmpty()) return;
            int total = pieces.stream().mapToInt(Piece::tokens).sum();
            if (hasContent() && tokens + total > options.chunkTokens() && tokens >= options.chunkTokens() / 2) {
                flushKeepingOverlap();
            }
            for (Piece p : pieces) add(p);
        }

        void add(Piece p) {
            if (tokens + p.tokens() > options.chunkTokens()) {
                if (hasContent()) flushKeepingOverlap();
                if (tokens + p.tokens() > options.chunkTokens()) clear(); // the overlap does not fit with it
            }
            current.add(p);
            tokens += p.tokens();
            uncovered.clear();
        }

        boolean hasContent() {
            return current.size() > overlapPieces;
        }

        void flushKeepingOverlap() {
            emit(current);
            int keep = 0, kept = 0;
            for (int i = current.size() - 1; i > 0; i--) {
                int t = current.get(i).tokens();
                if (kept + t > options.overlapTokens()) break;
                kept += t;
                keep++;
            }
            List<Piece> overlap = new ArrayList<>(current.subList(current.size() - keep, current.size()));
            clear();
            current.addAll(overlap);
            tokens = kept;
            overlapPieces = keep;
        }

        void endSection() {
            if (hasContent()) emit(current);
            clear();
        }

        void clear() {
            current.clear();
            tokens = 0;
            overlapPieces = 0;
        }

        void emit(List<Piece> pieces) {
            StringBuilder text = new StringBuilder();
            int sum = 0;
            for (Piece p : pieces) {
                if (!text.isEmpty()) {
                    char last = text.charAt(text.length() - 1);
                    if (p.startsParagraph()) text.append('\n');
                    else if (!(Text.isCjk(last) && Text.isCjk(p.text().charAt(0)))) text.append(' ');
                }
                text.append(p.text());
                sum += p.tokens();
            }
            List<String> path = headings.stream().map(Heading::text).toList();
            chunks.add(new Chunk(chunks.size(), text.toString(), path, pieces.getFirst().page(), pieces.getLast().page(), sum));
        }
    }
}
