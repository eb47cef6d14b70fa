package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The languages come from one definition and cannot drift: the committed dashboards are exactly
 * what {@link DashboardGenerator} makes of {@code grafana/dashboards/source}; the text tables have
 * the same keys in the same order, every text translated, with the same variables and legend
 * placeholders; and, read from the generated files alone, the Vietnamese and English dashboards
 * have the same panels (ids, types, positions), the same queries, the same variables, and differ
 * nowhere but in their texts and uids.
 */
class DashboardSourcesTest {
    private static final String VI = "vi";
    private static final String EN = "en";
    /** {@code {{label}}} of a legend, {@code $name}, {@code ${name}}, {@code ${name:format}} of Grafana. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\w+\\s*}}|" + Dashboards.VARIABLE.pattern());
    /** Words of the offices' own (DOMAIN.md), which the Vietnamese dashboards must use. */
    private static final List<String> OFFICES_WORDS = List.of("Tỷ lệ chuyên cần", "Số trường đã báo cáo", "sĩ số",
            "Phòng GD&ĐT", "Sở GD&ĐT", "cụm thi đua", "Cụm thi đua", "xã/phường", "Xã/phường", "Năm học", "năm học",
            "hoàn thành chương trình", "rèn luyện tốt", "Tiểu học", "THCS", "THPT", "Mầm non", "Giải khuyến khích");

    @Test
    void theCommittedDashboardsAreWhatTheGeneratorWrites() throws IOException {
        List<String> stale = new ArrayList<>();
        for (String language : Dashboards.LANGUAGES) {
            Map<String, String> generated = DashboardGenerator.generate(language);
            Path dir = Dashboards.DASHBOARDS.resolve(language);
            Set<String> committed = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".json")).forEach(f -> committed.add(f.getFileName().toString()));
            }
            for (String file : committed) {
                if (!generated.containsKey(file)) {
                    stale.add(dir.resolve(file) + " (no definition in " + DashboardGenerator.SOURCE + ")");
                }
            }
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Path path = dir.resolve(file.getKey());
                if (!Files.exists(path)) {
                    stale.add(path + " (missing)");
                } else if (!Files.readString(path, StandardCharsets.UTF_8).equals(file.getValue())) {
                    stale.add(path + " (differs)");
                }
            }
        }
        assertThat(stale).as("dashboards that are not what grafana/dashboards/source makes: edit the source, then run%n"
                + "    %s%nfrom the project root and commit its output", DashboardGenerator.COMMAND).isEmpty();
    }

    @Test
    void theTextTablesHaveTheSameKeysInTheSameOrder() {
        assertThat(Dashboards.LANGUAGES).containsExactly(VI, EN);
        assertThat(List.copyOf(DashboardGenerator.texts(EN).keySet()))
                .as("keys of %s, in the order of %s", DashboardGenerator.table(EN), DashboardGenerator.table(VI))
                .containsExactlyElementsOf(DashboardGenerator.texts(VI).keySet());
    }

    @Test
    void everyTextIsTranslatedWithTheSamePlaceholders() {
        Map<String, String> vi = DashboardGenerator.texts(VI);
        Map<String, String> en = DashboardGenerator.texts(EN);
        List<String> untranslated = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        for (Map.Entry<String, String> text : vi.entrySet()) {
            String key = text.getKey();
            String english = en.getOrDefault(key, "");
            // The Vietnamese uids are those of before the English set existed: no suffix.
            if (!key.equals("language.uid_suffix") && (text.getValue().isBlank() || text.getValue().equals(english))) {
                untranslated.add(key + "=" + text.getValue());
            }
            if (!placeholders(text.getValue()).equals(placeholders(english))) {
                placeholders.add(key + ": " + placeholders(text.getValue()) + " in vi, " + placeholders(english) + " in en");
            }
        }
        assertThat(untranslated).as("texts of %s left empty or in English", DashboardGenerator.table(VI)).isEmpty();
        assertThat(placeholders).as("texts whose variables or legend labels differ between the languages").isEmpty();
        assertThat(placeholders("năm học {{school_year}}, $unit_name (${scope:text} $unit)"))
                .containsExactly("$unit", "$unit_name", "${scope:text}", "{{school_year}}");
    }

    @Test
    void vietnameseTextsAreNfcAndUseTheOfficesWords() {
        Map<String, String> vi = DashboardGenerator.texts(VI);
        List<String> notNfc = new ArrayList<>();
        vi.forEach((key, text) -> {
            if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
                notNfc.add(key);
            }
        });
        // Decomposed diacritics look the same but compare, sort and search differently (in Grafana too).
        assertThat(notNfc).as("Vietnamese texts not in Unicode NFC").isEmpty();
        String all = String.join("\n", vi.values());
        assertThat(all).contains(OFFICES_WORDS);
    }

    /** Every dashboard defined in grafana/dashboards/source, by file name. */
    static List<String> definedDashboards() {
        return DashboardGenerator.definitions().stream().map(f -> f.getFileName().toString()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definedDashboards")
    void bothLanguagesHaveTheSamePanelsQueriesAndVariables(String file) throws IOException {
        JsonNode vi = Json.MAPPER.readTree(Dashboards.DASHBOARDS.resolve(VI).resolve(file).toFile());
        JsonNode en = Json.MAPPER.readTree(Dashboards.DASHBOARDS.resolve(EN).resolve(file).toFile());
        assertThat(en.path("uid").asText()).isEqualTo(vi.path("uid").asText() + "-en");

        Dashboards.Dashboard viDashboard = new Dashboards.Dashboard(VI + "/" + file, vi);
        Dashboards.Dashboard enDashboard = new Dashboards.Dashboard(EN + "/" + file, en);
        assertThat(panelShapes(enDashboard)).as(file + ": panels (id, type, position)")
                .isNotEmpty().containsExactlyElementsOf(panelShapes(viDashboard));
        assertThat(queries(enDashboard)).as(file + ": queries (panel id, refId, query, legend placeholders)")
                .containsExactlyElementsOf(queries(viDashboard));
        assertThat(variables(enDashboard)).as(file + ": variables (name, type, query or values)")
                .containsExactlyElementsOf(variables(viDashboard));

        // And nothing else differs: every leaf that is not the same in both files is a text.
        List<String> differences = new ArrayList<>();
        compare(vi, en, "", differences);
        assertThat(differences).as(file + ": differences between vi and en other than texts").isEmpty();
    }

    @Test
    void aDifferenceInAQueryIsFound() throws IOException {
        JsonNode vi = Json.MAPPER.readTree("{\"title\":\"Tổng quan\",\"panels\":[{\"id\":1,\"title\":\"a\","
                + "\"targets\":[{\"expr\":\"up\",\"legendFormat\":\"x {{a}}\"}]}]}");
        JsonNode en = Json.MAPPER.readTree("{\"title\":\"Overview\",\"panels\":[{\"id\":1,\"title\":\"b\","
                + "\"targets\":[{\"expr\":\"down\",\"legendFormat\":\"y {{a}}\"}]}]}");
        List<String> differences = new ArrayList<>();
        compare(vi, en, "", differences);
        assertThat(differences).singleElement().asString().contains("/panels/0/targets/0/expr", "up", "down");
    }

    /** Where the texts of a dashboard are: any other difference between two languages is a drift. */
    private static boolean isText(String path, JsonNode parent) {
        String field = path.substring(path.lastIndexOf('/') + 1);
        return Set.of("title", "description", "legendFormat", "label", "text", "displayName", "xField", "field")
                .contains(field)
                || path.equals("/uid")   // compared above
                || path.contains("/renameByName/")
                || path.matches("/tags/\\d+|/links/\\d+/tags/\\d+")
                // a field chosen by its (translated) name, and a field given a display name
                || path.endsWith("/matcher/options") && parent.path("id").asText().equals("byName")
                || field.equals("value") && parent.path("id").asText().equals("displayName")
                // a unit of our own words, such as "suffix: reports/s"
                || field.equals("unit") && parent.path("unit").asText().startsWith("suffix:")
                // a custom variable's "text : value" list: its values are compared by variables()
                || path.matches("/templating/list/\\d+/query") && parent.path("type").asText().equals("custom");
    }

    private static void compare(JsonNode vi, JsonNode en, String path, List<String> differences) {
        if (vi.isObject() && en.isObject()) {
            List<String> viFields = new ArrayList<>();
            List<String> enFields = new ArrayList<>();
            vi.fieldNames().forEachRemaining(viFields::add);
            en.fieldNames().forEachRemaining(enFields::add);
            if (!viFields.equals(enFields)) {
                differences.add(path + ": fields " + viFields + " in vi, " + enFields + " in en");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = vi.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path + "/" + field.getKey();
                JsonNode viChild = field.getValue();
                JsonNode enChild = en.get(field.getKey());
                if (viChild.isTextual() && enChild.isTextual() && !viChild.equals(enChild)) {
                    if (!isText(child, vi) || !isText(child, en)) {
                        differences.add(child + ": " + viChild + " in vi, " + enChild + " in en");
                    }
                } else {
                    compare(viChild, enChild, child, differences);
                }
            }
        } else if (vi.isArray() && en.isArray() && vi.size() == en.size()) {
            for (int i = 0; i < vi.size(); i++) {
                JsonNode viChild = vi.get(i);
                JsonNode enChild = en.get(i);
                if (viChild.isTextual() && enChild.isTextual() && !viChild.equals(enChild)) {
                    if (!isText(path + "/" + i, vi)) {
                        differences.add(path + "/" + i + ": " + viChild + " in vi, " + enChild + " in en");
                    }
                } else {
                    compare(viChild, enChild, path + "/" + i, differences);
                }
            }
        } else if (!vi.equals(en)) {
            differences.add(path + ": " + vi + " in vi, " + en + " in en");
        }
    }

    private static List<String> panelShapes(Dashboards.Dashboard d) {
        return d.panels().stream().map(p -> p.path("id").asText() + " " + p.path("type").asText() + " "
                + p.path("gridPos")).toList();
    }

    /** Each query without its language: the legend reduced to its placeholders, column titles dropped. */
    private static List<String> queries(Dashboards.Dashboard d) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : d.panels()) {
            for (JsonNode target : panel.path("targets")) {
                JsonNode copy = target.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("legendFormat", "columns"));
                out.add(panel.path("id").asText() + " " + copy + " legend " + placeholders(target.path("legendFormat").asText())
                        + " columns " + target.path("columns").findValuesAsText("selector"));
            }
        }
        return out;
    }

    /** Each variable without its language: a custom variable's values, not its texts. */
    private static List<String> variables(Dashboards.Dashboard d) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : d.variables()) {
            String query = v.path("type").asText().equals("custom")
                    ? Dashboards.customValues(Dashboards.variableQuery(v)).toString()
                    : v.path("query").toString();
            out.add(v.path("name").asText() + " " + v.path("type").asText() + " " + query + " regex "
                    + v.path("regex").asText() + " sort " + v.path("sort").asInt() + " multi " + v.path("multi")
                    + " all " + v.path("includeAll") + " hide " + v.path("hide") + " datasource " + v.path("datasource")
                    + " current " + v.path("current").path("value"));
        }
        return out;
    }

    private static Set<String> placeholders(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group().replace(" ", ""));
        }
        return out;
    }
}
