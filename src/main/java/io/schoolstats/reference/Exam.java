package io.schoolstats.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An exam of the catalogue ({@code reference.exams}, keyed by code). Exam reports count only for
 * codes in the catalogue: each new code creates a dozen series per unit, so a typo must not.
 */
public record Exam(String code, String name) {
    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,40}");

    /**
     * The exams of the contract, always in the catalogue whatever the topic says (a deployment
     * that never loaded reference data still counts them); operators add more.
     */
    public static final Map<String, String> BUILT_IN = builtIn();

    public RowKey key() {
        return new RowKey(code, null);
    }

    /** True for an upper-case code of 1 to 40 letters, digits or '_'. */
    public static boolean isCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    private static Map<String, String> builtIn() {
        Map<String, String> exams = new LinkedHashMap<>();
        exams.put("THPT_GRADUATION", "Kỳ thi tốt nghiệp trung học phổ thông");
        exams.put("GRADE10_ENTRANCE", "Kỳ thi tuyển sinh vào lớp 10");
        exams.put("EXCELLENT_STUDENT_NATIONAL", "Kỳ thi chọn học sinh giỏi quốc gia");
        exams.put("EXCELLENT_STUDENT_PROVINCIAL", "Kỳ thi chọn học sinh giỏi cấp tỉnh");
        exams.put("EXCELLENT_STUDENT_DISTRICT", "Kỳ thi chọn học sinh giỏi cấp huyện");
        return Map.copyOf(exams);
    }
}
