package dev.edgebox.server.scheduler;

import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.KvCache;

/**
 * A place for one sequence: its KV cache outlives the request, so the next request whose prompt
 * starts the same way (the next turn of a chat) with the same adapters skips the shared prefix.
 */
final class Slot {
    final int index;
    final KvCache cache;
    GenerationJob job;
    long lastUsed;
    /** The adapters that computed the cached entries. */
    CachedStack computedWith = CachedStack.BASE;

    Slot(int index, KvCache cache) {
        this.index = index;
        this.cache = cache;
    }

    boolean free() {
        return job == null;
    }

    /** How many of the prompt's first tokens the cache holds, computed with the adapters given. */
    int reusablePrefix(int[] prompt, AdapterStack adapters) {
        return computedWith.matches(adapters) ? cache.commonPrefix(prompt) : 0;
    }
}
