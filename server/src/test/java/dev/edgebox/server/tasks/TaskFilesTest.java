package dev.edgebox.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task files: what loads, what is refused (naming the file and the key), the built-ins, the directory. */
class TaskFilesTest {
    @TempDir
    Path dir;

    static TaskDefinition yaml(String text) {
        return TaskFiles.parse(text.getBytes(StandardCharsets.UTF_8), false, "t", "t.yaml");
    }

    static String refusal(String text) {
        return assertThrows(TaskException.class, () -> yaml(text)).getMessage();
    }

    @Test
    void builtInsLoadWithTheirFormats() {
        List<TaskDefinition> b = TaskFiles.builtIns();
        assertEquals(TaskFiles.BUILT_IN_NAMES, b.stream().map(TaskDefinition::name).toList());
        TaskDefinition sentiment = b.getFirst();
        assertEquals(List.of("positive", "negative", "neutral"), sentiment.output().choices());
        assertEquals(5, sentiment.examples().size());
        assertTrue(sentiment.examples().stream().anyMatch(e -> e.input().matches(".*[一-龥].*")), "Chinese examples");
        assertEquals(0f, sentiment.sampling().temperature());
        assertEquals("labels", b.get(1).output().param());
        assertEquals(OutputSpec.Kind.SCHEMA, b.get(2).output().kind());
        assertEquals("schema", b.get(2).output().param());
        assertEquals(Map.of("target", "English"), b.get(4).variables());
        assertTrue(b.stream().allMatch(TaskDefinition::builtIn));
    }

    @Test
    void aFullTaskFile() {
        TaskDefinition t = yaml("""
                name: invoice
                description: Invoice fields
                system: "Extract fields as JSON. Currency default: {{currency}}."
                template: "Invoice:\\n{{ input }}"
                variables: {currency: EUR, digits: 2}
                output:
                  schema:
                    type: object
                    properties: {total: {type: number}, currency: {enum: [EUR, USD]}}
                    required: [total]
                examples:
                  - input: "Total 12.50 EUR"
                    output: {total: 12.5, currency: EUR}
                sampling: {temperature: 0.1, max_tokens: 64, seed: 7}
                route: {keywords: [invoice, 发票], patterns: ['\\binv-\\d+'], routable: true}
                """);
        assertEquals("invoice", t.name());
        assertEquals(Map.of("currency", "EUR", "digits", "2"), t.variables());
        assertEquals("{\"total\":12.5,\"currency\":\"EUR\"}", t.examples().getFirst().output());
        assertEquals(64, t.sampling().maxTokens());
        assertEquals(7L, t.sampling().seed());
        assertEquals("{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"},\"currency\":{\"enum\":[\"EUR\",\"USD\"]}},\"required\":[\"total\"]}",
                t.output().text());
        assertEquals(List.of("invoice", "发票"), t.route().keywords());
        assertEquals("t.yaml", t.source());
        assertFalse(t.builtIn());
    }

    @Test
    void mistakesNameTheFileAndTheKey() {
        assertEquals("t.yaml: 'temperature' is not a task key; known keys: description, examples, name, output, route, sampling, system, template, "
                + "variables", refusal("temperature: 0\n"));
        assertTrue(refusal("output: {choices: [yes, no]}\n").startsWith("t.yaml: 'output.choices' must be text, got the boolean true (YAML reads"));
        assertTrue(refusal("template: 'Classify {{text}}'\n").startsWith("t.yaml: 'template' uses {{text}}, which is neither input"));
        assertTrue(refusal("template: 'no input here'\n").contains("must show the input somewhere"));
        assertTrue(refusal("name: Auto\n").contains("'name' must be lower-case"));
        assertTrue(refusal("name: auto\n").contains("is reserved"));
        assertTrue(refusal("output: {schema: {type: object, patternProperties: {}}}\n")
                .startsWith("t.yaml: 'output.schema' cannot be used: JSON Schema keyword 'patternProperties'"));
        assertTrue(refusal("output: {regex: '(?i)x'}\n").startsWith("t.yaml: 'output.regex' cannot be used: regex syntax error"));
        assertTrue(refusal("output: {choices: [a, b]}\nexamples: [{input: x, output: c}]\n")
                .startsWith("t.yaml: 'examples[0].output' does not fit the task's output: the output is not one of the choices"));
        assertTrue(refusal("sampling: {temperature: 3}\n").contains("'sampling.temperature' must be between 0 and 2, got 3"));
        assertTrue(refusal("sampling: {tempreature: 1}\n").contains("'sampling.tempreature' is not a sampling key"));
        assertTrue(refusal("variables: {input: x}\n").contains("'variables.input' is a reserved name"));
        assertTrue(refusal("output: {choices: '{{labels}}'}\nvariables: {labels: x}\n").contains("'variables.labels' is a reserved name"));
        assertTrue(refusal("route: {patterns: ['(']}\n").contains("'route.patterns' holds a bad regular expression"));
        assertTrue(refusal("output: xml\n").contains("'output' must be text, json, or a mapping"));
        assertTrue(refusal("a: [\n").startsWith("t.yaml: not valid YAML"));
    }

    @Test
    void jsonFilesAndParamOutputs() throws Exception {
        Files.writeString(dir.resolve("tag.json"), "{\"template\":\"{{input}}\",\"output\":{\"choices\":\"{{ tags }}\"}}");
        TaskDefinition t = TaskFiles.read(dir.resolve("tag.json"));
        assertEquals("tag", t.name());
        assertEquals("tags", t.output().param());
        assertNull(t.output().choices());
    }

    @Test
    void theDirectoryIsReadAgainWhenItChanges() throws Exception {
        Files.writeString(dir.resolve("sentiment.yaml"), "description: mine\noutput: {choices: [good, bad]}\n");
        Files.writeString(dir.resolve("bad.yml"), "output: {choices: []}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a task");
        TaskRegistry r = TaskRegistry.open(dir);
        assertEquals("mine", r.get("sentiment").description()); // a file may redefine a built-in
        assertEquals(6, r.list().size());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().getFirst().contains("bad.yml: 'output.choices' must be a non-empty list"), r.errors().toString());
        TaskException missing = assertThrows(TaskException.class, () -> r.get("bad"));
        assertEquals(404, missing.status());
        assertTrue(missing.getMessage().contains("its file does not load"), missing.getMessage());

        Path added = dir.resolve("shout.yaml");
        Files.writeString(added, "template: 'SHOUT {{input}}'\n");
        Files.setLastModifiedTime(added, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(1100); // the directory is looked at no more than once a second
        assertTrue(r.has("shout"));
        assertEquals(7, r.list().size());
    }
}
