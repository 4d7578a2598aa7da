package dev.edgebox.engine.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pre-tokenizers of llama.cpp by {@code tokenizer.ggml.pre} name: the regexes each model's
 * tokenizer.json defines (in llama.cpp's adapted form, which is what its test vectors check) and
 * the switches llama.cpp sets with them. Left out, so they fall back to the default with a
 * warning: those llama.cpp implements with custom code (kimi-k2, afmoe, gemma4, ...) and those
 * whose regex would make java.util.regex recurse once per word (exaone-moe).
 */
final class PreTokenizers {
    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    private static final List<SplitStage> GPT2 = List.of(WordScanner.gpt2());
    private static final List<SplitStage> LLAMA3 = List.of(WordScanner.llama3(3));
    private static final List<SplitStage> QWEN2 = List.of(WordScanner.llama3(1));
    private static final List<SplitStage> STARCODER = List.of(new RegexSplit("\\p{N}"), WordScanner.gpt2());
    private static final List<SplitStage> FALCON = List.of(
            new RegexSplit("[\\p{P}\\$\\+<=>\\^~\\|`]+"), WordScanner.gpt2(), new RegexSplit("[0-9][0-9][0-9]"));
    /** llama.cpp's choice when a vocabulary names no pre-tokenizer. */
    private static final List<SplitStage> DEFAULT = List.of(
            new RegexSplit("[\\p{P}\\$\\+<=>\\^~\\|]+"), WordScanner.gpt2(),
            new RegexSplit("\\p{N}+"), new RegexSplit("[0-9][0-9][0-9]"));
    private static final List<SplitStage> DEEPSEEK_LLM = List.of(
            new RegexSplit("[\r\n]"),
            new RegexSplit("\\s?[A-Za-z\\u00B5\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u01BA\\u01BC-\\u01BF\\u01C4-\\u0293\\u0295-\\u02AF\\u0370-\\u0373\\u0376\\u0377\\u037B-\\u037D\\u037F\\u0386\\u0388-\\u038A\\u038C\\u038E-\\u03A1\\u03A3-\\u03F5\\u03F7-\\u0481\\u048A-\\u052F\\u0531-\\u0556\\u10A0-\\u10C5\\u13A0-\\u13F5\\u13F8-\\u13FD\\u1C90-\\u1CBA\\u1CBD-\\u1CBF\\u1D00-\\u1D2B\\u1D6B-\\u1D77\\u1D79-\\u1D9A\\u1E00-\\u1F15\\u1F18-\\u1F1D\\u1F20-\\u1F45\\u1F48-\\u1F4D\\u1F50-\\u1F57\\u1F59\\u1F5B\\u1F5D\\u1F5F-\\u1F7D\\u1F80-\\u1FB4\\u1FB6-\\u1FBC\\u1FBE\\u1FC2-\\u1FC4\\u1FC6-\\u1FCC\\u1FD0-\\u1FD3\\u1FD6-\\u1FDB\\u1FE0-\\u1FEC\\u1FF2-\\u1FF4\\u1FF6-\\u1FFC\\u2102\\u2107\\u210A-\\u2113\\u2115\\u2119-\\u211D\\u2124\\u2126\\u2128\\u212A-\\u212D\\u212F-\\u2134\\u2139\\u213C-\\u213F\\u2145-\\u2149\\u214E\\u2183\\u2184\\u2C00-\\u2C7B\\u2C7E-\\u2CE4\\u2CEB-\\u2CEE\\u2CF2\\u2CF3\\uA640-\\uA66D\\uA680-\\uA69B\\uA722-\\uA76F\\uA771-\\uA787\\uA78B-\\uA78E\\uAB70-\\uABBF\\uFB00-\\uFB06\\uFB13-\\uFB17\\uFF21-\\uFF3A\\uFF41-\\uFF5A\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+"),
            new RegexSplit("\\s?[!-/:-~！-／：-～‘-‟　-。]+"),
            new RegexSplit("\\s+\\z"),
            new RegexSplit("[一-龥ࠀ-一가-퟿]+"),
            new RegexSplit("\\p{N}+"));
    private static final List<SplitStage> DEEPSEEK_CODER = List.of(
            new RegexSplit("[\r\n]"), new RegexSplit("\\s?\\p{L}+"), new RegexSplit("\\s?\\p{P}+"),
            new RegexSplit("[一-龥ࠀ-一가-퟿]+"), new RegexSplit("\\p{N}"));
    private static final List<SplitStage> DEEPSEEK3 = List.of(
            new RegexSplit("\\p{N}{1,3}"), new RegexSplit("[一-龥぀-ゟ゠-ヿ]+"),
            new RegexSplit("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                    + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> PORO = List.of(new RegexSplit(" ?[^(\\s|.,!?…。，、।۔،)]+"));
    private static final List<SplitStage> VIKING = List.of(
            new RegexSplit(" ?[^(\\s|.,!?…。，、।۔،)]+"), new RegexSplit("\\p{N}"));
    private static final List<SplitStage> JAIS2 = List.of(new RegexSplit(CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
            + "|\\s{512}(?!\\S)|\\s{256}(?!\\S)|\\s{128}(?!\\S)|\\s{64}(?!\\S)|\\s{32}(?!\\S)|\\s{16}(?!\\S)"
            + "|\\s{8}(?!\\S)|\\s{4}(?!\\S)|\\s{1,2}(?!\\S)|\\s{1}"));
    // tokenizer.json writes "a letter that is not a-z" as ((?=[\p{L}])([^a-z])); a class intersection is the
    // same set and keeps java.util.regex from recursing once per character of a long word.
    private static final String UPPER = "[\\p{L}&&[^a-z]]";
    private static final String LOWER = "[\\p{L}&&[^A-Z]]";
    private static final List<SplitStage> TEKKEN = List.of(new RegexSplit(
            "[^\\r\\n\\p{L}\\p{N}]?" + UPPER + "*" + LOWER + "+|[^\\r\\n\\p{L}\\p{N}]?" + UPPER + "+" + LOWER + "*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> GPT4O = List.of(new RegexSplit(
            "[^\\r\\n\\p{L}\\p{N}]?" + UPPER + "*" + LOWER + "+" + CONTRACTIONS + "?"
            + "|[^\\r\\n\\p{L}\\p{N}]?" + UPPER + "+" + LOWER + "*" + CONTRACTIONS + "?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> QWEN35 = List.of(new RegexSplit(CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> SEED_CODER = List.of(new RegexSplit(CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> BAILINGMOE = List.of(new RegexSplit(
            "'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> UFAKZEKA = List.of(new RegexSplit(
            "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> LAGUNA = List.of(new RegexSplit("[^\\n]+|[\\n]+"), WordScanner.llama3(1));
    private static final List<SplitStage> MINICPM5 = List.of(new RegexSplit("\\p{N}{1,3}"), new RegexSplit(CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}+| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
    private static final List<SplitStage> CHAMELEON = List.of(
            new RegexSplit("<sentinel:[0-9]+>"), new RegexSplit("(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"),
            new RegexSplit("([\\t\\n]|    |  )"), new RegexSplit("\\p{N}"),
            new RegexSplit("[\\p{P}!-/:-@\\[-`{-~]"), WordScanner.gpt2());

    private static final Map<String, PreTokenizer> BY_NAME = new HashMap<>();

    static {
        // flags: C = clean spaces, I = ignore merges, B = add BOS, N = no default BOS
        add(DEFAULT, "C", "default");
        add(LLAMA3, "CIB", "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano");
        add(LLAMA3, "C", "dbrx", "smaug-bpe");
        add(LLAMA3, "CN", "glm4", "chatglm-bpe");
        add(DEEPSEEK_LLM, "", "deepseek-llm");
        add(DEEPSEEK_CODER, "", "deepseek-coder");
        add(DEEPSEEK3, "", "deepseek-v3", "hunyuan-dense", "hy_v4", "joyai-llm");
        add(FALCON, "C", "falcon");
        add(GPT2, "C", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
                "mellum", "modern-bert", "mpt", "olmo", "jais", "exaone4", "jina-v1-en", "jina-v2-code", "roberta-bpe");
        add(GPT2, "", "trillion", "granite-docling");
        add(STARCODER, "C", "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2");
        add(STARCODER, "", "command-r", "smollm");
        add(QWEN2, "", "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "grok-2", "solar-open");
        add(QWEN2, "C", "stablelm2", "megrez");
        add(QWEN35, "", "qwen35");
        add(JAIS2, "C", "jais-2");
        add(PORO, "", "poro-chat");
        add(PORO, "C", "bloom", "gpt3-finnish");
        add(VIKING, "", "viking");
        add(TEKKEN, "IB", "tekken");
        add(GPT4O, "", "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2");
        add(SEED_CODER, "", "seed-coder");
        add(BAILINGMOE, "", "bailingmoe", "bailingmoe2", "llada-moe");
        add(UFAKZEKA, "", "ufakzeka");
        add(LAGUNA, "", "laguna");
        add(MINICPM5, "CI", "minicpm5");
        add(CHAMELEON, "B", "chameleon");
    }

    private PreTokenizers() {}

    private static void add(List<SplitStage> stages, String flags, String... names) {
        for (String name : names) {
            BY_NAME.put(name, new PreTokenizer(name, stages, flags.contains("C"), flags.contains("I"),
                    flags.contains("B"), flags.contains("N")));
        }
    }

    /** The pre-tokenizer llama.cpp uses for this name, if it is one we know. */
    static Optional<PreTokenizer> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** llama.cpp's default pre-tokenizer, used when a vocabulary names none (or one we do not know). */
    static PreTokenizer fallback() {
        return BY_NAME.get("default");
    }
}
