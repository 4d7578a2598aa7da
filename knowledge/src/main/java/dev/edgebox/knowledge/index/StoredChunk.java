package dev.edgebox.knowledge.index;

import java.util.List;

/** A chunk as the index keeps it, with the metadata a citation needs. */
public record StoredChunk(String docId, String source, String contentHash, int ordinal, String text,
                          List<String> headings, int page, int lastPage, String pageUnit) {

    /** The file name part of the source: what a citation shows. */
    public String fileName() {
        String s = source.replace('\\', '/');
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** "p. 3", "pp. 3-4", "slide 2" or "". */
    public String location() {
        if (page <= 0) return "";
        boolean slide = "SLIDE".equals(pageUnit);
        if (lastPage > page) return (slide ? "slides " : "pp. ") + page + "-" + lastPage;
        return (slide ? "slide " : "p. ") + page;
    }
}
