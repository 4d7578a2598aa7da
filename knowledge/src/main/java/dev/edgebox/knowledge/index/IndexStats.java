package dev.edgebox.knowledge.index;

/** Counts and size of one index. */
public record IndexStats(int documents, int chunks, long bytesOnDisk, int segments) {}
