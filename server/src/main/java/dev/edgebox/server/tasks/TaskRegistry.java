package dev.edgebox.server.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tasks there are: the built-ins, then the files of a tasks directory (YAML or JSON, one task
 * per file; a file may redefine a built-in by using its name). The directory is read again when
 * its files change (looked at no more than once a second), so tasks can be added or edited on a
 * running server. A file that does not load is left out and listed in {@link #errors()}; the
 * others stay available.
 */
public final class TaskRegistry {
    private static final long RESCAN_NANOS = 1_000_000_000L;

    /** @param broken why the file of each stem (file name without extension) did not load */
    private record Snapshot(Map<String, TaskDefinition> tasks, Map<String, String> broken, List<String> fingerprint) {
        List<String> errors() {
            return List.copyOf(broken.values());
        }
    }

    private final Path dir;
    private final List<TaskDefinition> builtIns;
    private volatile Snapshot snapshot;
    private volatile long lastScan;

    private TaskRegistry(Path dir) {
        this.dir = dir;
        this.builtIns = TaskFiles.builtIns();
        this.snapshot = load(fingerprint());
        this.lastScan = System.nanoTime();
    }

    /** The built-ins plus the tasks in {@code dir} (null or absent: built-ins only). */
    public static TaskRegistry open(Path dir) {
        return new TaskRegistry(dir);
    }

    /** Only the built-in tasks. */
    public static TaskRegistry builtInOnly() {
        return new TaskRegistry(null);
    }

    /** $EDGEBOX_HOME/tasks, else ~/.edgebox/tasks. */
    public static Path defaultDir() {
        String home = System.getenv("EDGEBOX_HOME");
        return home != null && !home.isBlank() ? Path.of(home, "tasks") : Path.of(System.getProperty("user.home"), ".edgebox", "tasks");
    }

    /** The tasks directory, or null. */
    public Path dir() {
        return dir;
    }

    /** The task of that name. @throws TaskException 404 naming the tasks there are */
    public TaskDefinition get(String name) {
        TaskDefinition t = current().tasks().get(name);
        if (t != null) return t;
        Snapshot s = current();
        String broken = s.broken().get(name);
        throw new TaskException(404, "no task '" + name + "'" + (broken != null ? "; its file does not load: " + broken : "")
                + "; tasks: " + String.join(", ", s.tasks().keySet()), "task", "task_not_found");
    }

    public boolean has(String name) {
        return current().tasks().containsKey(name);
    }

    /** Every task: built-ins first, then the directory's in file-name order. */
    public Collection<TaskDefinition> list() {
        return current().tasks().values();
    }

    /** The task files that did not load, each as "file: why". */
    public List<String> errors() {
        return current().errors();
    }

    private Snapshot current() {
        long now = System.nanoTime();
        if (dir != null && now - lastScan > RESCAN_NANOS) {
            synchronized (this) {
                if (now - lastScan > RESCAN_NANOS) {
                    List<String> fp = fingerprint();
                    if (!fp.equals(snapshot.fingerprint())) snapshot = load(fp);
                    lastScan = System.nanoTime();
                }
            }
        }
        return snapshot;
    }

    private Snapshot load(List<String> fingerprint) {
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        for (TaskDefinition t : builtIns) tasks.put(t.name(), t);
        Map<String, String> broken = new LinkedHashMap<>();
        Map<String, Path> fromFiles = new LinkedHashMap<>();
        for (Path file : files()) {
            String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            try {
                TaskDefinition t = TaskFiles.read(file);
                Path earlier = fromFiles.putIfAbsent(t.name(), file);
                if (earlier != null) {
                    broken.put(stem, file + ": task '" + t.name() + "' is already defined by " + earlier + "; this file is ignored");
                    continue;
                }
                tasks.put(t.name(), t);
            } catch (TaskException e) {
                broken.put(stem, e.getMessage());
            }
        }
        return new Snapshot(tasks, broken, fingerprint);
    }

    private List<Path> files() {
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && TaskFiles.isTaskFile(p) && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Names, sizes and modification times of the task files: a change in any of them means reading again. */
    private List<String> fingerprint() {
        List<String> fp = new ArrayList<>();
        for (Path p : files()) {
            try {
                fp.add(p.getFileName() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                fp.add(p.getFileName() + "|?");
            }
        }
        return fp;
    }
}
