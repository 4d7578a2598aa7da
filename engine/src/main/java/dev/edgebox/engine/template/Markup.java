package dev.edgebox.engine.template;

/**
 * A string marked safe by {@code |safe} or produced by {@code |escape}. It prints as its text, but
 * {@code +} with a plain string HTML-escapes the plain side, as markupsafe does; templates such as
 * functionary's rely on that quirk.
 */
record Markup(String text) {
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** markupsafe.escape: a Markup stays as is, anything else is str()-ed and escaped. */
    static Markup of(Object value) {
        return value instanceof Markup m ? m : new Markup(escape(Py.str(value)));
    }

    @Override
    public String toString() {
        return text;
    }
}
