package io.schoolstats.metrics;

/**
 * A series' labels as the Prometheus text format writes them, {@code name="value",...}, escaped
 * once and reused by every series of a unit. Names are the exporter's own (valid by
 * construction); values are escaped as the format asks (backslash, double quote, line feed).
 */
final class LabelText {
    private final String text;
    /** {@code {text}} in UTF-8, made on first use. */
    private volatile byte[] braced;

    private LabelText(String text) {
        this.text = text;
    }

    /** @param pairs label names and values, alternately */
    static LabelText of(String... pairs) {
        LabelText out = new LabelText("");
        for (int i = 0; i < pairs.length; i += 2) {
            out = out.add(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    LabelText add(String name, String value) {
        StringBuilder out = new StringBuilder(text.length() + name.length() + value.length() + 4).append(text);
        if (!text.isEmpty()) {
            out.append(',');
        }
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return new LabelText(out.append('"').toString());
    }

    /** Appends {@code {labels}} (nothing when there are none). */
    void appendTo(ChunkedBytes line) {
        if (text.isEmpty()) {
            return;
        }
        byte[] bytes = braced;
        if (bytes == null) {
            bytes = ("{" + text + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            braced = bytes;
        }
        line.write(bytes);
    }
}
