package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The adapters a running model serves, by name: loaded on demand from the {@link AdapterStore} (or
 * given at start-up from a path), swapped to a new version or rolled back while requests run, and
 * pinned per request. A request {@link #acquire}s the current versions of the adapters it names and
 * keeps exactly those until it closes its {@link Lease}; a version that is no longer current leaves
 * memory when its last request ends. All methods are thread-safe; the HTTP layer maps onto them
 * one to one.
 *
 * <p>Two locks: changes (add, rollback, load, remove) run one at a time under {@code changes} and
 * read adapter files without holding the registry's own monitor, which {@link #acquire} and
 * {@link Lease#close} take only for bookkeeping; so reading a large adapter never stalls a
 * scheduler thread that is ending requests.
 */
public final class AdapterRegistry {
    /** A request's choice: an adapter name and the scale it wants (1 = as trained). */
    public record Request(String name, float scale) {
        public Request {
            AdapterSpec.requireValidName(name);
            if (!Float.isFinite(scale)) throw new EngineException("adapter " + EngineException.quote(name) + " scale must be a finite number");
        }
    }

    /**
     * One named adapter as listings show it.
     *
     * @param version  the current version (0 for an adapter given by path at start-up)
     * @param versions the stored versions (empty for one given by path)
     * @param resident whether its current version is in memory
     * @param bytes    memory of its resident versions (current and still-pinned older ones)
     * @param inFlight requests holding any of its versions
     * @param summary  targets and ranks when resident, else empty
     */
    public record Info(String name, int version, List<Integer> versions, boolean fromPath, boolean resident, long bytes,
                       int inFlight, String summary) {}

    /** One loaded version and the requests holding it. */
    private static final class Resident {
        final String name;
        final int version;
        final LoraAdapter adapter;
        int pins;
        boolean current = true;

        Resident(String name, int version, LoraAdapter adapter) {
            this.name = name;
            this.version = version;
            this.adapter = adapter;
        }
    }

    private final AdapterStore store;
    private final ModelConfig base;
    private final Map<String, Resident> current = new TreeMap<>();
    private final Map<String, Path> fromPath = new TreeMap<>();
    private final Set<Resident> retired = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Object changes = new Object();

    /** @param store the adapter directory, or null when only adapters given by path are served */
    public AdapterRegistry(AdapterStore store, ModelConfig base) {
        this.store = store;
        this.base = base;
    }

    public AdapterStore store() {
        return store;
    }

    /** Serves the adapter at a path under a name (start-up configuration; not versioned, not in the store). */
    public Info addFromPath(String name, Path source) {
        AdapterSpec.requireValidName(name);
        synchronized (changes) {
            if (store != null && store.contains(name)) {
                throw new EngineException("adapter name " + EngineException.quote(name) + " is taken by an adapter in " + store.root() + "; choose another");
            }
            LoraAdapter a = LoraFiles.load(source, name, base);
            synchronized (this) {
                fromPath.put(name, source);
                swapIn(new Resident(name, 0, a));
                return info(name);
            }
        }
    }

    /** Loads the store's current version of name (again, if another process changed it). */
    public Info load(String name) {
        synchronized (changes) {
            AdapterStore.Version v;
            synchronized (this) {
                if (fromPath.containsKey(name)) return info(name);
                v = requireStore().get(name).currentVersion();
                Resident r = current.get(name);
                if (r != null && r.version == v.number()) return info(name);
            }
            return loadCurrent(name, v);
        }
    }

    /**
     * Adds the adapter at source as the next version of name, after checking it against the base,
     * and makes it current. Requests already running keep the version they started with. For paths
     * from the command line; clients go through {@link #addFromStoreDirectory}.
     */
    public Info add(String name, Path source) {
        AdapterSpec.requireValidName(name);
        synchronized (changes) {
            synchronized (this) {
                if (fromPath.containsKey(name)) throw new EngineException("adapter " + EngineException.quote(name) + " was given by path at start-up; it has no versions");
            }
            LoraFiles.load(source, name, base); // refuses an adapter for another base before anything is stored
            return loadCurrent(name, requireStore().add(name, source));
        }
    }

    /** As {@link #add}, for a client-given path, which must lie inside the adapter directory. */
    public Info addFromStoreDirectory(String name, String path) {
        return add(name, requireStore().resolveInside(path));
    }

    /** Makes the previous stored version current; requests already running keep theirs. */
    public Info rollback(String name) {
        synchronized (changes) {
            synchronized (this) {
                if (fromPath.containsKey(name)) throw new EngineException("adapter " + EngineException.quote(name) + " was given by path at start-up; it has no earlier version");
            }
            return loadCurrent(name, requireStore().rollback(name));
        }
    }

    /** Reads a stored version (no lock held but {@code changes}) and makes it current. */
    private Info loadCurrent(String name, AdapterStore.Version v) {
        LoraAdapter a = LoraFiles.load(v.path(), name, base);
        synchronized (this) {
            swapIn(new Resident(name, v.number(), a));
            return info(name);
        }
    }

    /** Stops serving name and deletes it from the store; running requests finish on what they hold. */
    public void remove(String name) {
        synchronized (changes) {
            synchronized (this) {
                if (fromPath.remove(name) == null) requireStore().remove(name);
                retire(current.remove(name));
            }
        }
    }

    /** Frees the memory of name's current version (it loads again on next use); files stay. */
    public void unload(String name) {
        synchronized (changes) {
            synchronized (this) {
                if (fromPath.containsKey(name)) throw new EngineException("adapter " + EngineException.quote(name) + " was given by path at start-up and cannot be unloaded");
                retire(current.remove(name));
            }
        }
    }

    public synchronized boolean has(String name) {
        return fromPath.containsKey(name) || current.containsKey(name) || (store != null && store.contains(name));
    }

    /** Every adapter this registry can serve: those given by path and those in the store. */
    public synchronized List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (String n : fromPath.keySet()) out.add(info(n));
        if (store != null) for (AdapterStore.Entry e : store.list()) if (!fromPath.containsKey(e.name())) out.add(info(e));
        return out;
    }

    public synchronized Info info(String name) {
        if (fromPath.containsKey(name)) return infoOf(name, 0, List.of(), true);
        return info(requireStore().get(name));
    }

    private Info info(AdapterStore.Entry e) {
        return infoOf(e.name(), e.current(), e.versions().stream().map(AdapterStore.Version::number).toList(), false);
    }

    private Info infoOf(String name, int version, List<Integer> versions, boolean byPath) {
        Resident r = current.get(name);
        long bytes = r != null ? r.adapter.bytes() : 0;
        int pins = r != null ? r.pins : 0;
        for (Resident old : retired) {
            if (old.name.equals(name)) {
                bytes += old.adapter.bytes();
                pins += old.pins;
            }
        }
        return new Info(name, r != null ? r.version : version, versions, byPath, r != null, bytes, pins,
                r != null ? r.adapter.describe() : "");
    }

    /**
     * Pins the current version of each named adapter (loading it if needed) for one request. The
     * request must close the lease when it ends, whether it succeeded or not.
     */
    public Lease acquire(List<Request> requests) {
        while (true) {
            String missing = null;
            synchronized (this) {
                List<Resident> held = new ArrayList<>(requests.size());
                AdapterStack stack = AdapterStack.NONE;
                for (Request q : requests) {
                    Resident r = current.get(q.name());
                    if (r == null) {
                        if (store == null || !store.contains(q.name())) throw unknown(q.name());
                        missing = q.name();
                        break;
                    }
                    held.add(r);
                    stack = stack.with(r.adapter, q.scale());
                }
                if (missing == null) {
                    for (Resident r : held) r.pins++;
                    return new Lease(stack, held);
                }
            }
            // First use of a stored adapter: read it without the monitor, then look again (it may have changed meanwhile).
            load(missing);
        }
    }

    /** Bytes of every adapter version in memory (current ones and older ones still pinned). */
    public synchronized long residentBytes() {
        long sum = 0;
        for (Resident r : current.values()) sum += r.adapter.bytes();
        for (Resident r : retired) sum += r.adapter.bytes();
        return sum;
    }

    /** Adapter versions in memory. */
    public synchronized int residentCount() {
        return current.size() + retired.size();
    }

    private void swapIn(Resident r) {
        retire(current.put(r.name, r));
    }

    private void retire(Resident old) {
        if (old == null) return;
        old.current = false;
        if (old.pins > 0) retired.add(old);
    }

    private synchronized void release(List<Resident> held) {
        for (Resident r : held) {
            r.pins--;
            if (!r.current && r.pins == 0) retired.remove(r);
        }
    }

    private AdapterStore requireStore() {
        if (store == null) throw new EngineException("no adapter directory is configured");
        return store;
    }

    private EngineException unknown(String name) {
        List<String> names = new ArrayList<>(fromPath.keySet());
        if (store != null) for (AdapterStore.Entry e : store.list()) if (!names.contains(e.name())) names.add(e.name());
        return new EngineException("unknown adapter " + EngineException.quote(name)
                + (names.isEmpty() ? "; no adapters are available" : "; available: " + String.join(", ", names)));
    }

    /** The adapters one request runs with, pinned until closed. */
    public final class Lease implements AutoCloseable {
        private final AdapterStack stack;
        private List<Resident> held;

        private Lease(AdapterStack stack, List<Resident> held) {
            this.stack = stack;
            this.held = held;
        }

        /** What to pass to {@code Batch.add} for every token of the request. */
        public AdapterStack stack() {
            return stack;
        }

        /** "name@version" of each adapter held, in request order (for logs and responses). */
        public List<String> versions() {
            List<Resident> h = held;
            if (h == null) return List.of();
            return h.stream().map(r -> r.name + "@" + r.version).toList();
        }

        @Override
        public void close() {
            List<Resident> h;
            synchronized (AdapterRegistry.this) {
                h = held;
                held = null;
            }
            if (h != null) release(h);
        }
    }
}
