package dev.edgebox.server.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.testing.Http;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of structured output on a running server, run by hand (not a test: timing never decides one).
 * <pre>
 *   bin/edgebox synth --shape qwen2.5-0.5b --type q4_k_m --vocab ../shared/reference/tokenizers/ggml-vocab-qwen2.gguf --out /tmp/q05.gguf
 *   mvn -q -pl server dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   # engine and knowledge from this checkout, not the SNAPSHOT jars in ~/.m2 that the class path names:
 *   java --add-modules jdk.incubator.vector -cp server/target/classes:server/target/test-classes:engine/target/classes:knowledge/target/classes:$(cat /tmp/cp.txt) \
 *       dev.edgebox.server.format.StructuredServeBench /tmp/q05.gguf [threads=2] [rounds=3] [tokens=48]
 * </pre>
 * Serves the model in-process and sends Ollama /api/generate requests (raw prompts; Ollama's answer
 * carries the decode time) alternately without a format ({@code ignore_eos}, exactly N tokens) and
 * with the nested "contract" schema of the engine's GrammarBench. Prints decode tokens/s (wall clock
 * and per CPU second of the process) for both, and the grammar's own time per token from the
 * server's metrics (edgebox_grammar_seconds / edgebox_grammar_tokens).
 */
public final class StructuredServeBench {
    static final String SCHEMA = """
            {"type":"object","properties":{
              "title":{"type":"string","maxLength":80},
              "date":{"type":"string","format":"date"},
              "parties":{"type":"array","minItems":1,"maxItems":4,"items":{"type":"object","properties":{
                "name":{"type":"string"},
                "role":{"enum":["buyer","seller","agent"]},
                "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}},
                  "required":["city"]}},
                "required":["name","role"]}},
              "amount":{"type":"number","minimum":0,"maximum":1000000000},
              "currency":{"enum":["USD","EUR","CNY"]},
              "signed":{"type":"boolean"},
              "clauses":{"type":"array","maxItems":10,"items":{"type":"object","properties":{
                "id":{"type":"integer","minimum":1},"text":{"type":"string","maxLength":200}},"required":["id","text"]}}},
             "required":["title","date","parties","amount","currency","signed"]}
            """;

    record Sample(int tokens, double decodeSeconds, double cpuSeconds, double grammarSeconds, double grammarTokens, double masks) {
        double rate() {
            return (tokens - 1) / decodeSeconds; // eval_duration runs from the first token to the last
        }

        double cpuRate() {
            return tokens / cpuSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 48;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("port", 0);
        s.put("threads", threads);
        s.put("parallel", 1);
        s.put("ctx", 512);
        s.put("access-log", "off");
        s.put("kb-dir", "off");
        s.put("tasks-dir", "off");
        try (EdgeServer server = EdgeServer.start(ConfigLoader.from(s), new PrintStream(OutputStream.nullOutputStream()))) {
            String url = server.url();
            run(url, "warm-up", false, 8, 0);
            run(url, "warm-up", true, 8, 0);
            List<Sample> free = new ArrayList<>(), schema = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                free.add(report("free  ", r, run(url, "Round " + r + ": the contract says", false, tokens, r)));
                schema.add(report("schema", r, run(url, "Round " + r + ": the contract as JSON:", true, tokens, r)));
            }
            double f = median(free.stream().map(Sample::rate).toList()), c = median(schema.stream().map(Sample::rate).toList());
            double fc = median(free.stream().map(Sample::cpuRate).toList()), cc = median(schema.stream().map(Sample::cpuRate).toList());
            double gs = schema.stream().mapToDouble(Sample::grammarSeconds).sum(), gt = schema.stream().mapToDouble(Sample::grammarTokens).sum();
            double decode = schema.stream().mapToDouble(Sample::decodeSeconds).sum();
            double masks = schema.stream().mapToDouble(Sample::masks).sum();
            System.out.printf(Locale.ROOT, "%nmedian decode: %.2f tokens/s without a schema, %.2f with (%.1f%% change); per CPU second %.2f vs %.2f (%.1f%%)%n",
                    f, c, (c / f - 1) * 100, fc, cc, (cc / fc - 1) * 100);
            System.out.printf(Locale.ROOT, "grammar: %.3f ms per constrained token (%d tokens, full masks at %.0f%% of them), %.2f%% of the constrained decode time%n",
                    gs / gt * 1e3, (long) gt, masks / gt * 100, gs / decode * 100);
            System.out.printf(Locale.ROOT, "load average during the run: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static Sample report(String what, int round, Sample x) {
        System.out.printf(Locale.ROOT, "%s round %d: %3d tokens, decode %.2f tokens/s (%.2f per CPU s), grammar %.1f ms over %d tokens%n", what, round,
                x.tokens(), x.rate(), x.cpuRate(), x.grammarSeconds() * 1e3, (long) x.grammarTokens());
        return x;
    }

    static Sample run(String url, String prompt, boolean withSchema, int tokens, long seed) throws Exception {
        Map<String, Double> before = grammarMetrics(url);
        long cpu0 = cpuNanos();
        String body = "{\"prompt\":" + Http.JSON.valueToTree(prompt) + ",\"raw\":true,\"stream\":false,"
                + (withSchema ? "\"format\":" + SCHEMA + "," : "")
                + "\"options\":{\"num_predict\":" + tokens + ",\"seed\":" + seed + (withSchema ? "" : ",\"ignore_eos\":true") + "}}";
        Http.Reply reply = Http.post(url + "/api/generate", body);
        if (reply.status() != 200) throw new IllegalStateException(reply.body());
        double cpu = (cpuNanos() - cpu0) / 1e9;
        Map<String, Double> after = grammarMetrics(url);
        JsonNode j = reply.json();
        return new Sample(j.path("eval_count").asInt(), j.path("eval_duration").asLong() / 1e9, cpu,
                after.get("edgebox_grammar_seconds") - before.get("edgebox_grammar_seconds"),
                after.get("edgebox_grammar_tokens") - before.get("edgebox_grammar_tokens"),
                after.get("edgebox_grammar_masks") - before.get("edgebox_grammar_masks"));
    }

    static Map<String, Double> grammarMetrics(String url) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : Http.get(url + "/metrics").body().split("\n")) {
            if (line.startsWith("edgebox_grammar_")) {
                String[] kv = line.split(" ");
                m.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        return m;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
