package dev.edgebox.app;

import dev.edgebox.engine.EngineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the edgebox command line. Each subcommand is its own class; a user error
 * ({@link EngineException} or a bad flag) prints one line and exits non-zero, and the stack trace is
 * shown only with --verbose.
 */
@Command(name = "edgebox", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "All-in-one local AI server: LLM engine, LoRA adapters, knowledge bases, tasks.",
        subcommands = {
            CommandLine.HelpCommand.class,
            RunCommand.class,
            ServeCommand.class,
            InfoCommand.class,
            LogitsCommand.class,
            BenchCommand.class,
            BenchServeCommand.class,
            SynthCommand.class,
            dev.edgebox.app.kb.KbCommand.class,
            dev.edgebox.app.lora.LoraCommand.class,
            dev.edgebox.app.task.TaskCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("edgebox: " + messageOf(ex));
            if (verbose) ex.printStackTrace(err);
            else if (!(ex instanceof EngineException)) err.println("edgebox: (run with --verbose for the stack trace)");
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    private static String messageOf(Throwable ex) {
        if (ex instanceof EngineException) return ex.getMessage();
        if (ex instanceof OutOfMemoryError) return "out of memory: " + ex.getMessage() + " (try a smaller context with -c, or raise -Xmx via EDGEBOX_JAVA_OPTS)";
        String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"edgebox " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
