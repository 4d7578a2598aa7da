package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraErrorsTest.assertOneLine;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versioned store on disk and the registry's versions, pins and memory accounting. */
class AdapterStoreTest {
    @TempDir
    Path tmp;

    static final ModelConfig BASE = LoraFixtures.config(QWEN2);

    Path adapterDir(String name, long seed, int rank) throws IOException {
        var pairs = LoraFixtures.randomPairs(QWEN2, rank, seed, LoraTarget.Q, LoraTarget.V);
        Path dir = tmp.resolve("src").resolve(name);
        LoraFixtures.writePeft(dir, pairs, LoraFixtures.peftConfig(rank, 8, "q_proj", "v_proj"), Safetensors.Dtype.F32);
        Files.writeString(dir.resolve("README.md"), "not copied");
        return dir;
    }

    Path adapterGguf(String name, long seed) throws IOException {
        Path f = tmp.resolve("src").resolve(name + ".gguf");
        Files.createDirectories(f.getParent());
        LoraFixtures.writeGguf(f, QWEN2.arch(), LoraFixtures.randomPairs(QWEN2, 4, seed, LoraTarget.O), 4);
        return f;
    }

    @Test
    void versionsRollbackAndRemoval() throws IOException {
        AdapterStore store = new AdapterStore(tmp.resolve("store"));
        assertTrue(store.list().isEmpty());
        AdapterStore.Version v1 = store.add("support", adapterDir("s1", 1, 4));
        AdapterStore.Version v2 = store.add("support", adapterGguf("s2", 2));
        store.add("finance", adapterDir("f1", 3, 4));
        assertEquals(1, v1.number());
        assertEquals(2, v2.number());
        assertFalse(Files.exists(v1.path().resolve("README.md")), "only adapter files are copied");
        assertTrue(Files.exists(v2.path().resolve(AdapterStore.GGUF_FILE)));

        List<AdapterStore.Entry> all = store.list();
        assertEquals(List.of("finance", "support"), all.stream().map(AdapterStore.Entry::name).toList());
        AdapterStore.Entry support = store.get("support");
        assertEquals(2, support.current());
        assertEquals(List.of(1, 2), support.versions().stream().map(AdapterStore.Version::number).toList());
        assertTrue(support.versions().get(0).source().endsWith("s1"));

        assertEquals(1, store.rollback("support").number());
        assertEquals(1, store.get("support").current());
        assertOneLine(() -> store.rollback("support"), "no version before v1");
        assertEquals(3, store.add("support", adapterDir("s3", 4, 4)).number(), "a new version after a rollback is the next number");
        assertOneLine(() -> store.removeVersion("support", 3), "current version");
        store.removeVersion("support", 2);
        assertEquals(List.of(1, 3), store.get("support").versions().stream().map(AdapterStore.Version::number).toList());
        store.activate("support", 1);
        assertEquals(1, store.get("support").current());

        store.remove("finance");
        assertFalse(store.contains("finance"));
        assertOneLine(() -> store.get("finance"), "no adapter named 'finance'", "support");
        Path evil = adapterDir("e", 5, 4);
        assertOneLine(() -> store.add("../evil", evil), "not valid");
        assertOneLine(() -> store.add("x", tmp.resolve("nothing")), "adapter not found");
        // A directory from a crashed add is ignored, and a later add succeeds.
        Files.createDirectories(store.root().resolve("support").resolve(".incoming-v4"));
        assertEquals(4, store.add("support", adapterDir("s4", 6, 4)).number());
    }

    @Test
    void pathsOutsideTheDirectoryAreRefused() throws IOException {
        AdapterStore store = new AdapterStore(tmp.resolve("store"));
        Files.createDirectories(store.root().resolve("incoming"));
        Path inside = adapterDir("in", 7, 4);
        Path target = store.root().resolve("incoming").resolve("in");
        Files.createDirectories(target);
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) Files.copy(inside.resolve(f), target.resolve(f));
        assertEquals(target, store.resolveInside("incoming/in"));
        assertOneLine(() -> store.resolveInside("../src/in"), "outside the adapter directory");
        assertOneLine(() -> store.resolveInside(inside.toString()), "outside the adapter directory");
        Path link = store.root().resolve("incoming").resolve("link");
        Files.createSymbolicLink(link, inside);
        assertOneLine(() -> store.resolveInside("incoming/link"), "outside the adapter directory");
        assertOneLine(() -> store.resolveInside("incoming/missing"), "does not exist");

        AdapterRegistry registry = new AdapterRegistry(store, BASE);
        assertOneLine(() -> registry.addFromStoreDirectory("x", "../src/in"), "outside the adapter directory");
        assertEquals(1, registry.addFromStoreDirectory("x", "incoming/in").version());
    }

    @Test
    void requestsKeepTheVersionTheyStartedWith() throws IOException {
        AdapterStore store = new AdapterStore(tmp.resolve("store"));
        AdapterRegistry registry = new AdapterRegistry(store, BASE);
        registry.add("support", adapterDir("s1", 11, 4));
        AdapterRegistry.Lease first = registry.acquire(List.of(new AdapterRegistry.Request("support", 1f)));
        LoraAdapter v1 = first.stack().adapter(0);
        long v1Bytes = v1.bytes();
        assertEquals(List.of("support@1"), first.versions());
        assertEquals(v1Bytes, registry.residentBytes());

        registry.add("support", adapterDir("s2", 12, 8)); // hot replace
        AdapterRegistry.Lease second = registry.acquire(List.of(new AdapterRegistry.Request("support", 0.5f)));
        LoraAdapter v2 = second.stack().adapter(0);
        assertNotSame(v1, v2);
        assertSame(v1, first.stack().adapter(0), "a running request keeps its version");
        assertEquals(List.of("support@2"), second.versions());
        assertEquals(v1Bytes + v2.bytes(), registry.residentBytes(), "the old version stays while pinned");
        assertEquals(2, registry.residentCount());
        AdapterRegistry.Info info = registry.info("support");
        assertEquals(2, info.version());
        assertEquals(2, info.inFlight());
        assertEquals(List.of(1, 2), info.versions());

        first.close();
        first.close(); // idempotent
        assertEquals(v2.bytes(), registry.residentBytes(), "released when its last request ends");
        assertEquals(1, registry.residentCount());

        AdapterRegistry.Info back = registry.rollback("support");
        assertEquals(1, back.version());
        try (AdapterRegistry.Lease third = registry.acquire(List.of(new AdapterRegistry.Request("support", 1f)))) {
            assertEquals(List.of("support@1"), third.versions());
            assertEquals(4, third.stack().adapter(0).maxRank());
            registry.remove("support"); // deleted while in use
            assertFalse(registry.has("support"));
            assertSame(third.stack().adapter(0), third.stack().adapter(0));
            assertOneLine(() -> registry.acquire(List.of(new AdapterRegistry.Request("support", 1f))), "unknown adapter 'support'");
        }
        second.close();
        assertEquals(0, registry.residentBytes());
        assertEquals(0, registry.residentCount());
    }

    @Test
    void registryChecksTheBaseBeforeStoring() throws IOException {
        AdapterStore store = new AdapterStore(tmp.resolve("store"));
        AdapterRegistry registry = new AdapterRegistry(store, BASE);
        var narrow = LoraFixtures.randomPairs(LoraFixtures.QWEN2_NARROW, 4, 13, LoraTarget.Q);
        Path dir = tmp.resolve("narrow");
        LoraFixtures.writePeft(dir, narrow, LoraFixtures.peftConfig(4, 4, "q_proj"), Safetensors.Dtype.F32);
        assertOneLine(() -> registry.add("narrow", dir), "another base model");
        assertTrue(store.list().isEmpty(), "nothing stored");

        // Stored by the CLI (no base check), then loaded lazily by a request: refused with the same line.
        store.add("narrow", dir);
        assertOneLine(() -> registry.acquire(List.of(new AdapterRegistry.Request("narrow", 1f))), "another base model");
        assertOneLine(() -> registry.acquire(List.of(new AdapterRegistry.Request("nope", 1f))), "unknown adapter 'nope'", "available: narrow");

        registry.addFromPath("fixed", adapterGguf("fixed", 14));
        assertOneLine(() -> registry.rollback("fixed"), "given by path");
        Path other = adapterGguf("other", 15);
        assertOneLine(() -> registry.addFromPath("narrow", other), "taken");
        assertEquals(List.of("fixed", "narrow"), registry.list().stream().map(AdapterRegistry.Info::name).toList());
        try (var lease = registry.acquire(List.of(new AdapterRegistry.Request("fixed", 2f), new AdapterRegistry.Request("fixed", 1f)))) {
            assertEquals(2, lease.stack().size());
            assertEquals(List.of("fixed@0", "fixed@0"), lease.versions());
        }
    }
}
