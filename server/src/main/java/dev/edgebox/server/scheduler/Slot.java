package dev.edgebox.server.scheduler;

import dev.edgebox.engine.model.KvCache;

/**
 * A place for one sequence: its KV cache outlives the request, so the next request whose prompt
 * starts the same way (the next turn of a chat) skips the shared prefix.
 */
final class Slot {
    final int index;
    final KvCache cache;
    GenerationJob job;
    long lastUsed;

    Slot(int index, KvCache cache) {
        this.index = index;
        this.cache = cache;
    }

    boolean free() {
        return job == null;
    }
}
