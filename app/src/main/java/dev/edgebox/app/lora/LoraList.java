package dev.edgebox.app.lora;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.engine.lora.AdapterStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "List the stored adapters and their versions (* = current).")
final class LoraList implements Callable<Integer> {
    @ParentCommand
    LoraCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per adapter and line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        AdapterStore store = parent.store();
        PrintWriter out = spec.commandLine().getOut();
        List<AdapterStore.Entry> entries = store.list();
        if (entries.isEmpty() && !json) out.println("no adapters in " + store.root());
        ObjectMapper mapper = new ObjectMapper();
        for (AdapterStore.Entry e : entries) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("current", e.current());
                m.put("versions", e.versions().stream().map(v -> {
                    Map<String, Object> vm = new LinkedHashMap<>();
                    vm.put("version", v.number());
                    vm.put("bytes", v.bytes());
                    vm.put("source", v.source());
                    vm.put("added", v.added() == null ? null : v.added().toString());
                    return vm;
                }).toList());
                out.println(mapper.writeValueAsString(m));
                continue;
            }
            AdapterStore.Version cur = e.currentVersion();
            StringBuilder versions = new StringBuilder();
            for (AdapterStore.Version v : e.versions()) versions.append(versions.isEmpty() ? "" : " ").append(v.current() ? "*" : "").append('v').append(v.number());
            out.printf(Locale.ROOT, "%-24s %-16s %8.1f MB  %s%n", e.name(), versions, cur.bytes() / 1e6, cur.source());
        }
        out.flush();
        return 0;
    }
}
