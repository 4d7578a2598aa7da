package dev.edgebox.server.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.lora.AdapterSpec;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Managing the served adapters over HTTP, while requests run:
 * <pre>
 * GET    /v1/adapters                  every adapter: versions, what is in memory, requests holding it
 * GET    /v1/adapters/{name}
 * POST   /v1/adapters                  {"name", "path"}: the adapter at path (inside the adapter directory)
 *                                      becomes the next version of name and current; without path, the
 *                                      store's current version of name is (re)loaded
 * POST   /v1/adapters/{name}/rollback  the previous version becomes current
 * DELETE /v1/adapters/{name}           stop serving it and delete it from the store
 * </pre>
 * Requests already running keep the versions they started with. Paths are confined to the adapter
 * directory, symbolic links included, so an API caller cannot make the server read other files.
 */
public final class AdapterRoutes {
    /**
     * One adapter as the API lists it.
     *
     * @param id           the model id requests use: "base:NAME"
     * @param version      the current version (0 for one given by path at start-up)
     * @param versions     stored versions, oldest first
     * @param resident     whether the current version is in memory (it loads on first use)
     * @param bytes        memory of its versions in memory, older ones still held by requests included
     * @param inFlight     requests holding one of its versions
     * @param defaultScale the scale requests get when they name none
     */
    public record Card(String id, String object, String name, int version, List<Integer> versions, boolean fromPath, boolean resident,
                       long bytes, int inFlight, String summary, float defaultScale) {}

    /** The listing, with the totals the metrics show. */
    public record Listing(String object, String adapterDir, int residentCount, long residentBytes, List<Card> data) {}

    public record Deleted(String id, String object, String name, boolean deleted) {}

    private final ServedAdapters adapters;
    private final Supplier<String> baseName;

    public AdapterRoutes(ServedAdapters adapters, Supplier<String> baseName) {
        this.adapters = adapters;
        this.baseName = baseName;
    }

    public Router register(Router r) {
        return r.get("/v1/adapters", this::list)
                .get("/v1/adapters/{name}", this::show)
                .post("/v1/adapters", this::add)
                .post("/v1/adapters/{name}/rollback", this::rollback)
                .delete("/v1/adapters/{name}", this::remove);
    }

    private AdapterRegistry registry() {
        return adapters.registry();
    }

    private Card card(AdapterRegistry.Info i) {
        return new Card(ServedAdapters.id(baseName.get(), i.name()), "adapter", i.name(), i.version(), i.versions(), i.fromPath(), i.resident(),
                i.bytes(), i.inFlight(), i.summary(), adapters.defaultScale(i.name()));
    }

    private Response list(Request req) {
        AdapterStore store = registry().store();
        List<Card> cards = registry().list().stream().map(this::card).toList();
        return Response.json(new Listing("list", store == null ? null : store.root().toString(), registry().residentCount(),
                registry().residentBytes(), cards));
    }

    private Response show(Request req) {
        return Response.json(card(run(() -> registry().info(existing(req.param("name"))))));
    }

    private Response add(Request req) throws IOException {
        Fields f = Fields.body(req);
        String name = f.string("name");
        if (!AdapterSpec.validName(name)) {
            throw f.invalid("name", "is not a valid adapter name; use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
        }
        String path = f.optString("path", null);
        if (path == null) {
            // Picks up a version added to the store by another process (edgebox lora add).
            return Response.json(card(run(() -> registry().load(existing(name)))));
        }
        AdapterStore store = registry().store();
        if (store == null) throw new ApiException(403, "adapters cannot be added over HTTP: the server runs with adapter-dir off",
                "invalid_request_error", "path", "adapter_dir_off");
        requireInside(store.root(), path);
        return Response.json(201, card(run(() -> registry().addFromStoreDirectory(name, path))));
    }

    private Response rollback(Request req) {
        String name = existing(req.param("name"));
        AdapterRegistry.Info info = run(() -> registry().info(name));
        if (info.fromPath()) throw conflict("adapter '" + name + "' was given by path at start-up; it has no earlier version");
        if (info.versions().stream().noneMatch(v -> v < info.version())) {
            throw conflict("adapter '" + name + "' has no version before v" + info.version() + " to roll back to");
        }
        return Response.json(card(run(() -> registry().rollback(name))));
    }

    private Response remove(Request req) {
        String name = existing(req.param("name"));
        run(() -> {
            registry().remove(name);
            return null;
        });
        return Response.json(new Deleted(ServedAdapters.id(baseName.get(), name), "adapter", name, true));
    }

    /** The name, when such an adapter is served; else 404. */
    private String existing(String name) {
        if (!AdapterSpec.validName(name) || !registry().has(name)) throw adapters.unknown(name, "name");
        return name;
    }

    /**
     * 403 for a path that leads out of the adapter directory, by ".." or an absolute path or through
     * a symbolic link; the store checks again when it resolves the path.
     */
    static void requireInside(Path root, String path) {
        if (path.isBlank()) throw ApiException.badRequest("'path' is empty; give a path inside the adapter directory " + root, "path");
        Path p;
        try {
            p = root.resolve(path).normalize();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("'path' is not a valid path: " + e.getMessage(), "path");
        }
        boolean inside = p.startsWith(root);
        if (inside && Files.exists(p)) {
            try {
                inside = p.toRealPath().startsWith(root.toRealPath());
            } catch (IOException e) {
                throw ApiException.badRequest("cannot resolve 'path' " + path + ": " + e.getMessage(), "path");
            }
        }
        if (!inside) {
            throw new ApiException(403, "adapter path '" + path + "' is outside the adapter directory " + root
                    + "; copy the adapter into it and give a path relative to it", "invalid_request_error", "path", "path_outside_adapter_dir");
        }
    }

    private static ApiException conflict(String message) {
        return new ApiException(409, message, "invalid_request_error", "name", "conflict");
    }

    /** Runs a registry operation; what it refuses (a bad file, an adapter for another model) is a 400 naming the problem. */
    private static <T> T run(Supplier<T> op) {
        try {
            return op.get();
        } catch (EngineException e) {
            throw ApiException.badRequest(e.getMessage(), null);
        }
    }
}
