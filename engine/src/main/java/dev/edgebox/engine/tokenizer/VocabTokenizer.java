package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.gguf.GgufMetadata;
import java.util.List;
import java.util.OptionalInt;

/**
 * The tokenizer of a {@link Vocabulary}: special tokens are cut out of the input first, each
 * remaining text fragment goes through the vocabulary's algorithm, and BOS/EOS are added as the
 * metadata says (llama.cpp's llama_vocab::tokenize).
 */
final class VocabTokenizer implements Tokenizer {
    private final Vocabulary vocab;
    private final TextEncoder encoder;
    private final SpecialTokenSplitter splitter;
    private final TokenPieces pieces;

    private VocabTokenizer(Vocabulary vocab, TextEncoder encoder) {
        this.vocab = vocab;
        this.encoder = encoder;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.pieces = new TokenPieces(vocab);
    }

    static VocabTokenizer create(Vocabulary vocab, GgufMetadata metadata) {
        TextEncoder encoder = switch (vocab.kind) {
            case BPE -> new BpeEncoder(vocab);
            case SPM -> new SpmEncoder(vocab);
            case WPM -> {
                boolean lowercase = metadata.getBool("tokenizer.ggml.normalizer.lowercase", true);
                yield new WordPieceEncoder(vocab, lowercase, metadata.getBool("tokenizer.ggml.normalizer.strip_accents", lowercase));
            }
        };
        return new VocabTokenizer(vocab, encoder);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        List<SpecialTokenSplitter.Fragment> fragments = splitter.split(Utf8.wellFormed(text), parseSpecial);
        IntList out = new IntList(text.length() / 3 + 8);
        if (addSpecial && vocab.addBos) out.add(vocab.bos);
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment f : fragments) {
            if (f.isText()) {
                encoder.encode(f.text(), afterSpecial, out);
                afterSpecial = false;
            } else {
                out.add(f.token());
                afterSpecial = true;
            }
        }
        if (addSpecial && vocab.addEos) out.add(vocab.eos);
        if (addSpecial && vocab.addSep && vocab.kind == Vocabulary.Kind.WPM) out.add(vocab.sep);
        return out.toArray();
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        return pieces.decode(ids, renderSpecial);
    }

    @Override
    public byte[] tokenBytes(int id, boolean renderSpecial) {
        return pieces.piece(id, renderSpecial).clone();
    }

    @Override
    public StreamDecoder newStreamDecoder(boolean renderSpecial) {
        return new StreamDecoder(pieces, renderSpecial);
    }

    @Override
    public int bosId() {
        return vocab.bos;
    }

    @Override
    public int eosId() {
        return vocab.eos;
    }

    @Override
    public int eotId() {
        return vocab.eot;
    }

    @Override
    public boolean addBos() {
        return vocab.addBos;
    }

    @Override
    public boolean addEos() {
        return vocab.addEos;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return vocab.isEndOfGeneration(id);
    }

    @Override
    public int[] endOfGenerationIds() {
        return vocab.endOfGeneration.clone();
    }

    @Override
    public OptionalInt tokenId(String exactTokenText) {
        int id = vocab.id(exactTokenText);
        return id == Vocabulary.NONE ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return vocab.texts[id];
    }

    @Override
    public boolean isControl(int id) {
        checkId(id);
        return vocab.has(id, TokenAttr.CONTROL);
    }

    @Override
    public String model() {
        return vocab.model;
    }

    @Override
    public String preTokenizer() {
        return vocab.preTokenizer == null ? "" : vocab.preTokenizer.name();
    }

    private void checkId(int id) {
        if (!vocab.contains(id)) {
            throw new dev.edgebox.engine.EngineException("token id " + id + " is outside the vocabulary (0.." + (vocab.size() - 1) + ")");
        }
    }
}
