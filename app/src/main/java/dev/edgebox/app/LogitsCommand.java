package dev.edgebox.app;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterStack;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The conformance interface: logits of every position of a token sequence, as raw little-endian
 * float32 [n_tokens x n_vocab]. Its flags and output format are kept stable for test harnesses.
 * The KV cache defaults to f32 here, as in the llama.cpp reference runs.
 */
@Command(name = "logits", description = "Write the logits of every position of a token sequence (raw float32).")
final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model;

    @Mixin
    LoraArgs lora;

    @Option(names = "--tokens", required = true, paramLabel = "IDS", description = "Comma-separated token ids, e.g. 1,2,3.")
    String tokens;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (float32 little-endian, n_tokens x n_vocab).")
    Path out;

    @Override
    public Integer call() throws IOException {
        int[] ids = parseIds(tokens);
        if (model.kvType.equals("f16") && !kvGiven()) model.kvType = "f32";
        try (Model m = Model.open(model.requireModel(), model.options())) {
            if (ids.length > m.contextLength()) {
                throw new EngineException(ids.length + " tokens do not fit the context of " + m.contextLength() + " (raise it with -c)");
            }
            int vocab = m.config().vocabSize();
            AdapterStack adapters = lora.load(m.config(), System.err);
            KvCache seq = m.newSequence();
            Batch batch = new Batch(m.batchSize());
            ByteBuffer buf = ByteBuffer.allocate(vocab * 4).order(ByteOrder.LITTLE_ENDIAN);
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                for (int start = 0; start < ids.length; start += m.batchSize()) {
                    int end = Math.min(ids.length, start + m.batchSize());
                    batch.clear();
                    for (int i = start; i < end; i++) batch.add(checkId(ids[i], vocab), i, seq, true, adapters);
                    float[] logits = m.forward(batch);
                    for (int r = 0; r < end - start; r++) {
                        buf.clear();
                        buf.asFloatBuffer().put(logits, r * vocab, vocab);
                        os.write(buf.array(), 0, vocab * 4);
                    }
                }
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.err.printf("edgebox: wrote %d x %d logits to %s%n", ids.length, vocab, out);
        }
        return 0;
    }

    private boolean kvGiven() {
        return spec != null && spec.commandLine().getParseResult().hasMatchedOption("--kv");
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static int checkId(int id, int vocab) {
        if (id < 0 || id >= vocab) throw new EngineException("token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
        return id;
    }

    static int[] parseIds(String s) {
        String[] parts = s.trim().split("[,\\s]+");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new EngineException("--tokens expects comma-separated integers; '" + parts[i] + "' is not one");
            }
        }
        if (ids.length == 0) throw new EngineException("--tokens is empty");
        return ids;
    }
}
