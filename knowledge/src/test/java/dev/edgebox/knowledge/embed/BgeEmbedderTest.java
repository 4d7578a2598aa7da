package dev.edgebox.knowledge.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled default model: unit vectors of 512 dimensions whose similarities rank meaning, in Chinese and English. */
class BgeEmbedderTest {
    private static BgeEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new BgeEmbedder(BgeEmbedder.ZH);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void vectorsAreUnitLengthAndInOrder() {
        List<float[]> v = embedder.embedPassages(List.of("设备每周保养一次。", "The bearings need oil every week."));
        assertEquals(2, v.size());
        for (float[] x : v) {
            assertEquals(512, x.length);
            assertEquals(1.0, dot(x, x), 1e-4);
        }
        assertEquals(1.0, dot(v.get(0), embedder.embedPassages(List.of("设备每周保养一次。")).getFirst()), 1e-5, "deterministic");
    }

    @Test
    void queriesFindTheirPassages() {
        List<String> passages = List.of(
                "发票丢失后，可以向开票单位申请重新开具或提供复印件。",
                "机器启动前必须检查液压油的油位。",
                "Patients must fast for eight hours before a blood glucose test.",
                "The loan interest rate is fixed for the first five years.");
        List<float[]> p = embedder.embedPassages(passages);
        List<String> queries = List.of("发票丢了怎么办", "开机之前要检查什么", "how long to fast before a glucose test", "is the mortgage rate fixed");
        for (int q = 0; q < queries.size(); q++) {
            float[] v = embedder.embedQuery(queries.get(q));
            int best = 0;
            for (int i = 1; i < p.size(); i++) if (dot(v, p.get(i)) > dot(v, p.get(best))) best = i;
            assertEquals(q, best, "query \"" + queries.get(q) + "\" should find passage " + q);
        }
    }

    @Test
    void tokenCounterIsTheModelsWordPieceCountAndIgnoresCase() {
        var count = embedder.tokenCounter();
        assertEquals(0, count.count(""));
        assertEquals(5, count.count("设备每周保"), "one token per Chinese character");
        assertEquals(count.count("apple microstructural development"), count.count("Apple Microstructural Development"));
        assertTrue(count.count("microstructural") > 1, "rare words become several word pieces");
    }

    @Test
    void theDefaultIsTheChineseModel() {
        assertEquals(BgeEmbedder.ZH.id(), Embedders.DEFAULT);
        assertEquals(512, Embedders.dimension(Embedders.DEFAULT));
    }

    @Test
    void theEnglishVariantFindsEnglishPassages() {
        try (BgeEmbedder en = new BgeEmbedder(BgeEmbedder.EN)) {
            assertEquals(384, en.dimension());
            List<float[]> p = en.embedPassages(List.of("Patients must fast for eight hours before a blood glucose test.",
                    "The loan interest rate is fixed for the first five years."));
            assertEquals(1.0, dot(p.get(0), p.get(0)), 1e-4);
            float[] q = en.embedQuery("is the mortgage rate fixed");
            assertTrue(dot(q, p.get(1)) > dot(q, p.get(0)));
        }
    }
}
