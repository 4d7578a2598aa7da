package dev.edgebox.app;

/** Entry point of the edgebox command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("edgebox");
    }
}
