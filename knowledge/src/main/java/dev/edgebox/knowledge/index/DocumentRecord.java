package dev.edgebox.knowledge.index;

/**
 * One document of a knowledge base, as listed.
 *
 * @param docId the id a document is updated and removed by (for files: the absolute path)
 * @param source where it came from (a path or an uploaded file name)
 * @param contentHash SHA-256 of the bytes: an unchanged file is not ingested again
 * @param pageUnit PAGE, SLIDE or NONE
 * @param addedAt epoch milliseconds of the ingestion
 */
public record DocumentRecord(String docId, String source, String contentHash, String pageUnit, int pages,
                             int chunks, long bytes, long addedAt) {}
