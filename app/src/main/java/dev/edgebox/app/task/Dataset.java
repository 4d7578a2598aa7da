package dev.edgebox.app.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A labelled evaluation set: text and gold label per row, from TSV (also .txt), CSV (RFC 4180:
 * quoted fields may hold commas, quotes and newlines) or JSONL. Columns are named by the header
 * row, or numbered from 0 when the file has none.
 */
final class Dataset {
    enum Format { TSV, CSV, JSONL }

    /** @param line where the row starts in the file (1-based), which names it in results */
    record Row(int line, String text, String label) {}

    private Dataset() {}

    static Format formatOf(Path file, String given) {
        if (given != null) {
            try {
                return Format.valueOf(given.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new EngineException("--format must be tsv, csv or jsonl, got '" + given + "'");
            }
        }
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) return Format.CSV;
        if (n.endsWith(".jsonl") || n.endsWith(".json")) return Format.JSONL;
        if (n.endsWith(".tsv") || n.endsWith(".txt")) return Format.TSV;
        throw new EngineException("cannot tell the format of " + file + " from its name; pass --format tsv, csv or jsonl");
    }

    /**
     * @param header     whether the first row names the columns (TSV, CSV)
     * @param textField  column name (or 0-based number without a header) or JSON field of the text
     * @param labelField the same for the gold label
     */
    static List<Row> read(Path file, Format format, boolean header, String textField, String labelField) throws IOException {
        if (!Files.isRegularFile(file)) throw new EngineException("data file " + file + " does not exist");
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (content.startsWith("\uFEFF")) content = content.substring(1);
        return switch (format) {
            case JSONL -> jsonl(file, content, textField, labelField);
            case TSV -> table(file, tsv(content), header, textField, labelField);
            case CSV -> table(file, Csv.parse(content), header, textField, labelField);
        };
    }

    private static List<Row> jsonl(Path file, String content, String textField, String labelField) {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line : content.split("\n", -1)) {
            number++;
            if (line.isBlank()) continue;
            JsonNode v;
            try {
                v = ResultFile.JSON.readTree(line);
            } catch (IOException e) {
                throw new EngineException(file + " line " + number + " is not JSON");
            }
            JsonNode text = v.get(textField), label = v.get(labelField);
            if (text == null || !text.isTextual()) throw new EngineException(file + " line " + number + " has no text field '" + textField + "'");
            if (label == null || label.isContainerNode() || label.isNull()) {
                throw new EngineException(file + " line " + number + " has no label field '" + labelField + "'");
            }
            rows.add(new Row(number, text.asText(), label.asText()));
        }
        return rows;
    }

    /** Rows of cells with the line each row starts on. */
    record Cells(int line, List<String> cells) {}

    private static List<Cells> tsv(String content) {
        List<Cells> rows = new ArrayList<>();
        int number = 0;
        for (String line : content.split("\n", -1)) {
            number++;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) continue;
            rows.add(new Cells(number, List.of(line.split("\t", -1))));
        }
        return rows;
    }

    private static List<Row> table(Path file, List<Cells> cells, boolean header, String textField, String labelField) {
        if (cells.isEmpty()) throw new EngineException(file + " holds no rows");
        int textCol, labelCol;
        int first = 0;
        if (header) {
            List<String> names = cells.getFirst().cells().stream().map(String::strip).toList();
            textCol = column(file, names, textField);
            labelCol = column(file, names, labelField);
            first = 1;
        } else {
            textCol = number(textField, "--text-field");
            labelCol = number(labelField, "--label-field");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = first; i < cells.size(); i++) {
            Cells c = cells.get(i);
            int need = Math.max(textCol, labelCol);
            if (c.cells().size() <= need) {
                throw new EngineException(file + " line " + c.line() + " has " + c.cells().size() + " columns; column " + need + " was asked for");
            }
            rows.add(new Row(c.line(), c.cells().get(textCol).strip(), c.cells().get(labelCol).strip()));
        }
        return rows;
    }

    private static int column(Path file, List<String> names, String field) {
        int at = names.indexOf(field);
        if (at < 0) {
            throw new EngineException(file + " has no column '" + field + "'; its header names " + names
                    + " (a file without a header needs --no-header and column numbers)");
        }
        return at;
    }

    private static int number(String field, String option) {
        try {
            int n = Integer.parseInt(field);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new EngineException(option + " must be a column number (0, 1, ...) for a file without a header, got '" + field + "'");
    }
}
