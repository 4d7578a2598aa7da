package dev.edgebox.app;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.GgufValue;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.TensorTypes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a GGUF file's metadata and a summary of its tensors. */
@Command(name = "info", description = "Show a GGUF file's metadata and tensors.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model;

    @Option(names = "--tensors", description = "List every tensor, not just a summary by type.")
    boolean allTensors;

    @Override
    public Integer call() {
        try (GgufFile f = GgufFile.open(model.requireModel())) {
            System.out.printf("file: %s%nGGUF version %d, %,d bytes, %d metadata keys, %d tensors, alignment %d%n%n",
                    f.path(), f.version(), f.fileSize(), f.metadata().asMap().size(), f.tensors().size(), f.alignment());
            for (Map.Entry<String, GgufValue> e : f.metadata().asMap().entrySet()) {
                System.out.printf("%-45s %s%n", e.getKey(), e.getValue().describe());
            }
            System.out.println();
            Map<GgmlType, long[]> byType = new TreeMap<>();
            long params = 0;
            for (TensorInfo t : f.tensors().values()) {
                long[] s = byType.computeIfAbsent(t.type(), k -> new long[3]);
                s[0]++;
                s[1] += t.elementCount();
                s[2] += t.byteSize();
                params += t.elementCount();
                if (allTensors) System.out.printf("%-40s %-6s %-20s %,14d bytes%n", t.name(), t.type().displayName(), t.shape(), t.byteSize());
            }
            if (allTensors) System.out.println();
            System.out.printf("%-8s %8s %16s %16s  %s%n", "type", "tensors", "parameters", "bytes", "supported");
            for (var e : byType.entrySet()) {
                long[] s = e.getValue();
                System.out.printf("%-8s %8d %,16d %,16d  %s%n", e.getKey().displayName(), s[0], s[1], s[2],
                        TensorTypes.isSupported(e.getKey()) ? "yes" : "no");
            }
            System.out.printf("total: %,d parameters%n", params);
        }
        return 0;
    }
}
