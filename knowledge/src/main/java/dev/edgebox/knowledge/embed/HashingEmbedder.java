package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.chunk.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model-free embedder: words and CJK character pairs hashed into 256 signed buckets. Its vectors
 * only capture word overlap, so it retrieves about as well as keywords; it exists for tests and
 * for machines where the ONNX runtime cannot load. Deterministic across runs and JVMs.
 */
public final class HashingEmbedder implements Embedder {
    public static final String ID = "hashing";
    public static final int DIMENSION = 256;
    private static final Pattern TOKEN = Pattern.compile("\\p{IsHan}|[\\p{L}\\p{N}]+");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(query);
    }

    @Override
    public List<float[]> embedPassages(List<String> passages) {
        List<float[]> out = new ArrayList<>(passages.size());
        for (String p : passages) out.add(embed(p));
        return out;
    }

    @Override
    public TokenCounter tokenCounter() {
        return HashingEmbedder::countTokens;
    }

    /** Words and CJK characters: close to what a BERT tokenizer counts for ordinary text. */
    public static int countTokens(String text) {
        int n = 0;
        for (Matcher m = TOKEN.matcher(text); m.find(); ) n++;
        return n;
    }

    private static float[] embed(String text) {
        float[] v = new float[DIMENSION];
        String previous = null;
        for (Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT)); m.find(); ) {
            String token = m.group();
            add(v, token);
            boolean han = Character.UnicodeScript.of(token.codePointAt(0)) == Character.UnicodeScript.HAN;
            if (han && previous != null) add(v, previous + token);
            previous = han ? token : null;
        }
        if (v[0] == 0 && allZero(v)) v[0] = 1; // empty text: any fixed unit vector
        return Embedder.normalize(v);
    }

    private static void add(float[] v, String feature) {
        int h = mix(feature.hashCode());
        v[Math.floorMod(h, DIMENSION)] += (h & 0x40000000) == 0 ? 1 : -1;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static boolean allZero(float[] v) {
        for (float x : v) if (x != 0) return false;
        return true;
    }
}
