package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokenizing SentencePiece text word by word gives exactly what merging the whole text gives. */
class SpmWordSplitTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tokenizers/ggml-vocab-llama-spm.gguf", "tokenizers/ggml-vocab-phi-3.gguf",
            "models/stories260K/stories260K-f32.gguf"})
    void wordByWordEqualsWholeText(String file) throws IOException {
        Vocabulary vocab;
        try (GgufFile gguf = GgufFile.open(Shared.require("reference/" + file))) {
            vocab = VocabularyReader.read(gguf.metadata());
        }
        SpmEncoder encoder = new SpmEncoder(vocab);
        assertTrue(encoder.splitsAtWords(), "the vocabulary has a token spanning a word start, so the shortcut is off");
        StringBuilder text = new StringBuilder();
        for (ReferenceVocabs.Case c : ReferenceVocabs.cases("llama-spm")) text.append(c.text()).append(' ');
        String english = Files.readString(Shared.require("data/scifact/queries.jsonl"));
        text.append(english, 0, Math.min(english.length(), 100_000));
        for (String sample : new String[] {text.toString(), "  leading and trailing  ", "a  b   c\n\n d"}) {
            IntList byWords = new IntList();
            encoder.encode(sample, true, byWords);
            IntList whole = new IntList();
            encoder.merge((" " + sample).replace(" ", "\u2581"), whole);
            assertArrayEquals(whole.toArray(), byWords.toArray());
        }
    }
}
