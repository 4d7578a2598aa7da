package dev.edgebox.app.task;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: fields separated by commas, quoted fields may hold commas, newlines and doubled quotes. */
final class Csv {
    private Csv() {}

    static List<Dataset.Cells> parse(String text) {
        List<Dataset.Cells> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, rowHasData = false;
        int line = 1, rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    rowHasData = true;
                }
                case ',' -> {
                    row.add(field.toString());
                    field.setLength(0);
                    rowHasData = true;
                }
                case '\r' -> { }
                case '\n' -> {
                    if (rowHasData || !field.isEmpty()) {
                        row.add(field.toString());
                        rows.add(new Dataset.Cells(rowLine, List.copyOf(row)));
                    }
                    row.clear();
                    field.setLength(0);
                    rowHasData = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    field.append(c);
                    rowHasData = true;
                }
            }
        }
        if (rowHasData || !field.isEmpty()) {
            row.add(field.toString());
            rows.add(new Dataset.Cells(rowLine, List.copyOf(row)));
        }
        return rows;
    }
}
