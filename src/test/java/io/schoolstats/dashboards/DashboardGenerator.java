package io.schoolstats.dashboards;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the dashboards Grafana provisions, {@code grafana/dashboards/vi/*.json} and
 * {@code grafana/dashboards/en/*.json}, from one definition per dashboard
 * ({@code grafana/dashboards/source/*.json}) and one text table per language
 * ({@code grafana/dashboards/source/text_vi.properties}, {@code text_en.properties}).
 *
 * <p>A definition is a Grafana dashboard whose human texts are references {@code @{key}}
 * inside JSON strings; each becomes the key's text in the language, JSON-escaped. Nothing else
 * is touched, so the two languages cannot differ in panels, queries or variables. A key missing
 * from a table, or a key of a table no definition uses, stops the generator.
 *
 * <p>Run from the project root, without Maven (Java 17 runs a single source file):
 * {@code java src/test/java/io/schoolstats/dashboards/DashboardGenerator.java}.
 * {@code DashboardSourcesTest} fails when the committed files differ from what this writes.
 * It depends on nothing but the JDK, on purpose.
 */
public final class DashboardGenerator {
    static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    static final Path SOURCE = DASHBOARDS.resolve("source");
    /** The languages, the default (Vietnamese, what the offices use) first. */
    static final List<String> LANGUAGES = List.of("vi", "en");
    static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_.]+)}");
    static final String COMMAND = "java src/test/java/io/schoolstats/dashboards/DashboardGenerator.java";

    private DashboardGenerator() {
    }

    public static void main(String[] args) throws IOException {
        for (String language : LANGUAGES) {
            Path dir = DASHBOARDS.resolve(language);
            Files.createDirectories(dir);
            Map<String, String> files = generate(language);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".json")).toList()) {
                    if (!files.containsKey(file.getFileName().toString())) {
                        Files.delete(file);
                    }
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
            System.out.println("wrote " + files.size() + " dashboards to " + dir);
        }
    }

    /** File name to content of every dashboard in one language. */
    static Map<String, String> generate(String language) {
        Map<String, String> texts = texts(language);
        Map<String, String> out = new TreeMap<>();
        Set<String> used = new LinkedHashSet<>();
        for (Path definition : definitions()) {
            String name = definition.getFileName().toString();
            out.put(name, render(read(definition), texts, name + " (" + language + ")", used));
        }
        Set<String> unused = new LinkedHashSet<>(texts.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalStateException(table(language) + ": keys no definition uses: " + unused);
        }
        return out;
    }

    /** Replaces every {@code @{key}} of a definition by its text, escaped for a JSON string. */
    static String render(String definition, Map<String, String> texts, String where, Set<String> used) {
        Matcher m = REFERENCE.matcher(definition);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String text = texts.get(m.group(1));
            if (text == null) {
                missing.add(m.group(1));
                text = "";
            }
            used.add(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(jsonEscape(text)));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(where + ": no text for " + missing);
        }
        if (out.indexOf("@{") >= 0) {
            throw new IllegalStateException(where + ": a reference is not of the form @{key}: "
                    + out.substring(out.indexOf("@{"), Math.min(out.length(), out.indexOf("@{") + 40)));
        }
        return out.toString();
    }

    /** The definitions, sorted by file name. */
    static List<Path> definitions() {
        try (Stream<Path> files = Files.list(SOURCE)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path table(String language) {
        return SOURCE.resolve("text_" + language + ".properties");
    }

    /**
     * A language's texts in the order of its file (UTF-8, {@code key=value}, the
     * {@code .properties} format); a key given twice stops the generator.
     */
    static Map<String, String> texts(String language) {
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Properties reader = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (texts.put((String) key, (String) value) != null) {
                    duplicates.add((String) key);
                }
                return null;
            }
        };
        try (Reader in = Files.newBufferedReader(table(language), StandardCharsets.UTF_8)) {
            reader.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalStateException(table(language) + ": keys given twice: " + duplicates);
        }
        return texts;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
