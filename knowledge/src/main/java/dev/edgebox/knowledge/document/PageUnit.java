package dev.edgebox.knowledge.document;

/** What a block's page number counts, so citations can say "p. 3" or "slide 3". */
public enum PageUnit {
    PAGE("p."), SLIDE("slide"), NONE("");

    private final String label;

    PageUnit(String label) {
        this.label = label;
    }

    /** "p. 3", "slide 3", or "" when there is no number. */
    public String describe(int number) {
        return this == NONE || number <= 0 ? "" : label + " " + number;
    }
}
