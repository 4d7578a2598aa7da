package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.gguf.GgufValue;
import dev.edgebox.engine.gguf.GgufValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Reads a {@link Vocabulary} from GGUF metadata with llama.cpp's rules (llama-vocab.cpp, load):
 * per-model defaults for special ids and flags, metadata overrides, ids that are out of range
 * (such as uint32 4294967295) ignored, and special tokens recognised by their text.
 */
final class VocabularyReader {
    private static final System.Logger LOG = System.getLogger(VocabularyReader.class.getName());
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final String KEY = "tokenizer.ggml.";

    // Texts that mark end-of-turn and fill-in-the-middle tokens, in llama.cpp's lists; the first present wins.
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    private static final List<String> EOM_TEXTS = List.of("<|eom_id|>");
    private static final List<String> FIM_PRE_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final List<String> FIM_SUF_TEXTS = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final List<String> FIM_MID_TEXTS = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REP_TEXTS = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>");
    private static final List<String> FIM_SEP_TEXTS = List.of("<|file_sep|>");
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]",
            "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<｜end▁of▁sentence｜>", "[e~[");

    private final GgufMetadata md;

    private VocabularyReader(GgufMetadata md) {
        this.md = md;
    }

    static Vocabulary read(GgufMetadata metadata) {
        return new VocabularyReader(metadata).read();
    }

    private Vocabulary read() {
        if (!md.has(KEY + "model")) {
            throw new EngineException("the model has no tokenizer: metadata key tokenizer.ggml.model is missing");
        }
        String model = md.getString(KEY + "model");
        Vocabulary.Kind kind = switch (model) {
            case "llama" -> Vocabulary.Kind.SPM;
            case "gpt2" -> Vocabulary.Kind.BPE;
            case "bert" -> Vocabulary.Kind.WPM;
            default -> throw new EngineException("tokenizer model '" + model + "' (tokenizer.ggml.model) is not supported;"
                    + " supported are 'llama' (SentencePiece), 'gpt2' (byte-level BPE) and 'bert' (WordPiece)");
        };
        if (!md.has(KEY + "tokens")) throw new EngineException("tokenizer.ggml.tokens is missing: the model has no vocabulary");
        String[] texts = md.getStringArray(KEY + "tokens").clone();
        int n = texts.length;
        float[] scores = readScores(n);
        int[] attrs = readAttrs(n);
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) texts[i] = "[EMPTY_" + i + "]";
        }
        Vocabulary v = new Vocabulary(kind, model, texts, scores, attrs);
        String pre = md.getString(KEY + "pre", "");
        switch (kind) {
            case SPM -> {
                v.bos = 1; v.eos = 2; v.unk = 0;
                v.addSpacePrefix = true; v.addBos = true;
            }
            case WPM -> {
                v.bos = 101; v.unk = 100; v.sep = 102; v.pad = 0; v.mask = 103;
                v.cleanSpaces = true; v.addBos = true; v.addSep = true;
            }
            case BPE -> {
                if (!md.has(KEY + "merges")) throw new EngineException("tokenizer.ggml.merges is missing: a gpt2 (BPE) vocabulary needs its merges");
                v.merges = md.getStringArray(KEY + "merges");
                v.bos = 11; v.eos = 11; // llama.cpp's defaults for BPE vocabularies that name neither
                PreTokenizer p = resolvePreTokenizer(pre);
                v.preTokenizer = p;
                v.cleanSpaces = p.cleanSpaces();
                v.ignoreMerges = p.ignoreMerges();
                v.addBos = p.addBos();
                if (p.noBos()) v.bos = Vocabulary.NONE;
            }
        }
        v.addSpacePrefix = md.getBool(KEY + "add_space_prefix", v.addSpacePrefix);
        readSpecialIds(v);
        v.addBos = md.getBool(KEY + "add_bos_token", v.addBos);
        v.addEos = md.getBool(KEY + "add_eos_token", v.addEos);
        v.addSep = md.getBool(KEY + "add_sep_token", v.addSep);
        requireIfAdded(v.addBos, v.bos, "add_bos_token", "bos_token_id");
        requireIfAdded(v.addEos, v.eos, "add_eos_token", "eos_token_id");
        requireIfAdded(v.addSep, v.sep, "add_sep_token", "seperator_token_id");
        detectSpecialTokens(v);
        v.specialTokens = specialTokensLongestFirst(v);
        applyFamilyAttributes(v, pre);
        return v;
    }

    private static PreTokenizer resolvePreTokenizer(String pre) {
        if (pre.isEmpty()) {
            warnOnce("missing", "the vocabulary names no pre-tokenizer (tokenizer.ggml.pre); using llama.cpp's default,"
                    + " tokenization may not match the model's own tokenizer");
            return PreTokenizers.fallback();
        }
        return PreTokenizers.byName(pre).orElseGet(() -> {
            warnOnce(pre, "unknown pre-tokenizer '" + pre + "' (tokenizer.ggml.pre); using llama.cpp's default regex,"
                    + " tokenization may not match the model's own tokenizer");
            return PreTokenizers.fallback();
        });
    }

    private static void warnOnce(String key, String message) {
        if (WARNED.add(key)) LOG.log(System.Logger.Level.WARNING, message);
    }

    private float[] readScores(int n) {
        float[] scores = new float[n];
        GgufValue v = md.get(KEY + "scores");
        if (v == null) return scores;
        Object a = v.value();
        if (a instanceof int[] ints) {
            checkLength(ints.length, n, "scores");
            for (int i = 0; i < n; i++) scores[i] = ints[i];
            return scores;
        }
        float[] f = md.getFloatArray(KEY + "scores");
        checkLength(f.length, n, "scores");
        System.arraycopy(f, 0, scores, 0, n);
        return scores;
    }

    private int[] readAttrs(int n) {
        int[] attrs = new int[n];
        if (!md.has(KEY + "token_type")) {
            java.util.Arrays.fill(attrs, TokenAttr.NORMAL);
            return attrs;
        }
        int[] types = md.getIntArray(KEY + "token_type");
        checkLength(types.length, n, "token_type");
        for (int i = 0; i < n; i++) attrs[i] = TokenAttr.ofGgufType(types[i]);
        return attrs;
    }

    private static void checkLength(int length, int n, String what) {
        if (length < n) {
            throw new EngineException("tokenizer.ggml." + what + " has " + length + " entries but the vocabulary has " + n + " tokens");
        }
    }

    /** An id from the metadata replaces the default only if it is a token; out-of-range defaults are dropped. */
    private void readSpecialIds(Vocabulary v) {
        v.bos = specialId(v, "bos_token_id", v.bos);
        v.eos = specialId(v, "eos_token_id", v.eos);
        v.eot = specialId(v, "eot_token_id", v.eot);
        v.eom = specialId(v, "eom_token_id", v.eom);
        v.unk = specialId(v, "unknown_token_id", v.unk);
        v.sep = specialId(v, "seperator_token_id", v.sep);
        v.pad = specialId(v, "padding_token_id", v.pad);
        v.mask = specialId(v, "mask_token_id", v.mask);
        v.fimPre = specialId(v, "fim_pre_token_id", v.fimPre);
        v.fimSuf = specialId(v, "fim_suf_token_id", v.fimSuf);
        v.fimMid = specialId(v, "fim_mid_token_id", v.fimMid);
        v.fimPad = specialId(v, "fim_pad_token_id", v.fimPad);
        v.fimRep = specialId(v, "fim_rep_token_id", v.fimRep);
        v.fimSep = specialId(v, "fim_sep_token_id", v.fimSep);
        v.fimPre = specialId(v, "prefix_token_id", v.fimPre); // deprecated names
        v.fimSuf = specialId(v, "suffix_token_id", v.fimSuf);
        v.fimMid = specialId(v, "middle_token_id", v.fimMid);
    }

    private int specialId(Vocabulary v, String key, int fallback) {
        int id = v.contains(fallback) ? fallback : Vocabulary.NONE;
        GgufValue value = md.get(KEY + key);
        if (value == null || value.type() == GgufValueType.ARRAY || !(value.value() instanceof Number number)) return id;
        long raw = number.longValue();
        return raw >= 0 && raw < v.size() ? (int) raw : id;
    }

    private static void requireIfAdded(boolean added, int id, String addKey, String idKey) {
        if (added && id == Vocabulary.NONE) {
            throw new EngineException("tokenizer.ggml." + addKey + " is true, but tokenizer.ggml." + idKey + " is not set");
        }
    }

    /** llama.cpp finds end-of-turn, fill-in-the-middle and end-of-generation tokens by their text. */
    private static void detectSpecialTokens(Vocabulary v) {
        if (v.eot == Vocabulary.NONE) v.eot = findControl(v, EOT_TEXTS);
        if (v.eom == Vocabulary.NONE) v.eom = findControl(v, EOM_TEXTS);
        if (v.fimPre == Vocabulary.NONE) v.fimPre = findControl(v, FIM_PRE_TEXTS);
        if (v.fimSuf == Vocabulary.NONE) v.fimSuf = findControl(v, FIM_SUF_TEXTS);
        if (v.fimMid == Vocabulary.NONE) v.fimMid = findControl(v, FIM_MID_TEXTS);
        if (v.fimPad == Vocabulary.NONE) v.fimPad = findControl(v, FIM_PAD_TEXTS);
        if (v.fimRep == Vocabulary.NONE) v.fimRep = findControl(v, FIM_REP_TEXTS);
        if (v.fimSep == Vocabulary.NONE) v.fimSep = findControl(v, FIM_SEP_TEXTS);

        for (int i = 0; i < v.size(); i++) {
            if ((v.attrs[i] & TokenAttr.CONTROL) != 0 && v.texts[i].contains("unused")) v.attrs[i] |= TokenAttr.UNUSED;
        }

        TreeSet<Integer> eog = new TreeSet<>();
        IntConsumer add = id -> { if (v.contains(id)) eog.add(id); };
        add.accept(v.fimPad);
        add.accept(v.fimRep);
        add.accept(v.fimSep);
        for (String text : EOG_TEXTS) {
            int id = v.id(text);
            if (id != Vocabulary.NONE) {
                eog.add(id);
                v.attrs[id] |= TokenAttr.CONTROL;
            }
        }
        // gpt-oss: these always render, as user-defined tokens.
        for (String text : List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>")) {
            int id = v.id(text);
            if (id != Vocabulary.NONE) v.attrs[id] = TokenAttr.USER_DEFINED;
        }
        add.accept(v.eos);
        add.accept(v.eot);
        add.accept(v.eom);
        // o200k_harmony and solar-open end turns with <|return|>/<|call|> (or <|calls|>/<|flush|>), not <|end|>.
        boolean hasReturn = hasEog(v, eog, "<|return|>");
        boolean hasCall = hasEog(v, eog, "<|call|>") || hasEog(v, eog, "<|calls|>");
        boolean hasFlush = hasEog(v, eog, "<|flush|>");
        int end = v.id("<|end|>");
        if (end != Vocabulary.NONE && eog.contains(end) && ((hasReturn && hasCall) || (hasCall && hasFlush))) {
            eog.remove(end);
            v.attrs[end] = TokenAttr.USER_DEFINED;
        }
        // gemma4 and paddleocr: </s> does not end generation there.
        int closeS = v.id("</s>");
        if (closeS != Vocabulary.NONE && eog.contains(closeS) && hasEog(v, eog, "<|tool_response>")) {
            eog.remove(closeS);
            v.attrs[closeS] = TokenAttr.NORMAL;
        }
        v.endOfGeneration = eog.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasEog(Vocabulary v, Set<Integer> eog, String text) {
        int id = v.id(text);
        return id != Vocabulary.NONE && eog.contains(id);
    }

    /** The first token of the list that exists; it becomes a control token if it was not one. */
    private static int findControl(Vocabulary v, List<String> texts) {
        for (String text : texts) {
            int id = v.id(text);
            if (id != Vocabulary.NONE) {
                v.attrs[id] |= TokenAttr.CONTROL;
                return id;
            }
        }
        return Vocabulary.NONE;
    }

    private static int[] specialTokensLongestFirst(Vocabulary v) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if ((v.attrs[i] & (TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) != 0) ids.add(i);
        }
        ids.sort(Comparator.comparingInt((Integer id) -> -v.texts[id].length()).thenComparingInt(id -> id));
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Strip attributes llama.cpp gives to the special tokens of some families, by model name or pre-tokenizer. */
    private void applyFamilyAttributes(Vocabulary v, String pre) {
        String name = md.getString("general.name", "").toLowerCase(Locale.ROOT);
        String arch = md.getString("general.architecture", "");
        if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")
                || arch.contains("nomic-bert-moe") || arch.contains("jina-bert-v3")) {
            setAttr(v, "<mask>", TokenAttr.LSTRIP, true);
        } else if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : v.specialTokens) v.attrs[id] |= TokenAttr.RSTRIP;
            setAttr(v, "</s>", TokenAttr.RSTRIP, true);
            for (String t : List.of("<unk>", "<s>", "<|endoftext|>")) setAttr(v, t, TokenAttr.RSTRIP, false);
        } else if (name.contains("modern-bert")) {
            setAttr(v, "[MASK]", TokenAttr.LSTRIP, true);
        }
    }

    private static void setAttr(Vocabulary v, String text, int attr, boolean on) {
        int id = v.id(text);
        if (id == Vocabulary.NONE) return;
        v.attrs[id] = on ? v.attrs[id] | attr : v.attrs[id] & ~attr;
    }
}
