package io.schoolstats.report;

import java.util.List;
import java.util.Locale;

/**
 * Violation messages in Vietnamese, for schools' staff who ask for them
 * ({@code Accept-Language: vi}); English is the message the validator wrote.
 */
public final class Messages {
    private Messages() {
    }

    public static boolean isVietnamese(Locale locale) {
        return locale != null && "vi".equals(locale.getLanguage());
    }

    public static String localize(Violation v, Locale locale) {
        return isVietnamese(locale) ? vietnamese(v) : v.message();
    }

    static String vietnamese(Violation v) {
        String f = "'" + (v.field() == null ? "" : v.field()) + "'";
        List<String> a = v.args();
        return switch (v.reason()) {
            case MALFORMED_JSON -> "Không phải JSON hợp lệ" + (a.isEmpty() ? "" : ": " + a.get(0));
            case NOT_AN_OBJECT -> "Mỗi báo cáo phải là một đối tượng JSON";
            case MISSING_FIELD -> "Thiếu trường bắt buộc " + f;
            case WRONG_TYPE -> f + " phải là " + typeName(a.isEmpty() ? "" : a.get(0));
            case NEGATIVE_COUNT -> f + " phải là số không âm (>= 0), nhận được " + arg(a, 0);
            case TOO_LARGE -> f + " quá lớn (tối đa " + (a.size() > 1 ? arg(a, 1) : Fields.MAX_COUNT) + "), nhận được "
                    + arg(a, 0);
            case TOO_LONG -> f + " quá dài (tối đa " + arg(a, 0) + " ký tự)";
            case INVALID_REVISION -> "'revision' phải >= 1, nhận được " + arg(a, 0);
            case INVALID_ID -> f + " phải có từ 1 đến 64 ký tự, không chứa '|' hay ký tự điều khiển";
            case INVALID_DATE -> f + " phải là một ngày có thật theo dạng YYYY-MM-DD, nhận được '" + arg(a, 0) + "'";
            case INVALID_SCHOOL_YEAR -> f + " phải có dạng 2023-2024 (hai năm liên tiếp), nhận được '" + arg(a, 0) + "'";
            case INVALID_LEVEL -> "'level' phải là PRESCHOOL (mầm non), PRIMARY (tiểu học), LOWER_SECONDARY (THCS) "
                    + "hoặc UPPER_SECONDARY (THPT), nhận được '" + arg(a, 0) + "'";
            case INVALID_EXAM_CODE -> "'exam' phải là mã viết hoa gồm 1 đến 40 chữ cái, chữ số hoặc '_', ví dụ THPT_GRADUATION";
            case INVALID_SUBMITTED_AT -> "'submittedAt' phải là thời điểm ISO-8601 có múi giờ, ví dụ 2024-03-05T07:45:00+07:00";
            case INVALID_SCOPE -> "'scope' không hợp lệ (district, commune hoặc province), nhận được '" + arg(a, 0) + "'";
            case CONFLICTING_FIELDS -> "Trường thuộc một quận/huyện hoặc xã/phường ('district') hoặc trực thuộc tỉnh "
                    + "('province'), không thể cả hai";
            case PRESENT_EXCEEDS_ENROLLED -> "Số học sinh có mặt (" + arg(a, 0) + ") không được lớn hơn sĩ số (" + arg(a, 1) + ")";
            case COMPLETED_EXCEEDS_ASSESSED -> "Số hoàn thành chương trình (" + arg(a, 0)
                    + ") không được lớn hơn số được đánh giá (" + arg(a, 1) + ")";
            case CONDUCT_GOOD_EXCEEDS_ASSESSED -> "Số rèn luyện tốt (" + arg(a, 0)
                    + ") không được lớn hơn số được đánh giá (" + arg(a, 1) + ")";
            case PASSED_EXCEEDS_CANDIDATES -> "Số thí sinh đỗ (" + arg(a, 0) + ") không được lớn hơn số thí sinh (" + arg(a, 1) + ")";
            case AWARDS_EXCEED_CANDIDATES -> "Tổng số giải (" + arg(a, 0) + ") không được lớn hơn số thí sinh (" + arg(a, 1) + ")";
            case SCORE_BANDS_LENGTH -> "'scoreBands' phải có đúng 10 số (phổ điểm [0,1) ... [9,10]), nhận được " + arg(a, 0);
            case SCHEMA_VIOLATION -> f + " không đúng JSON Schema của loại báo cáo: " + arg(a, 0);
            case KEY_MISMATCH -> "Khóa bản ghi '" + arg(a, 0) + "' không khớp với mã của dòng '" + arg(a, 1) + "'";
            case MISSING_KEY -> "Bản ghi danh mục cần có mã làm khóa";
            case DATE_IN_FUTURE -> "Ngày " + arg(a, 0) + " muộn hơn ngày sau ngày gửi báo cáo (" + arg(a, 1) + ")";
            case SCHOOL_YEAR_OUT_OF_RANGE -> f + " " + arg(a, 0) + " nằm ngoài khoảng năm học được chấp nhận (giới hạn "
                    + arg(a, 1) + ")";
            case SUBMITTED_AT_IN_FUTURE -> "'submittedAt' " + arg(a, 0) + " muộn hơn thời điểm nhận báo cáo (" + arg(a, 1)
                    + ") quá một ngày: hãy kiểm tra đồng hồ của hệ thống gửi";
            case UNKNOWN_EXAM -> "Mã kỳ thi '" + arg(a, 0) + "' không có trong danh mục kỳ thi (reference.exams)";
            case INVALID_TEXT -> f + " chứa ký tự điều khiển, ký tự định dạng hoặc ký tự đổi chiều văn bản (không nhìn thấy)";
            case INVALID_CRITERION -> "Tiêu chí thi đua không hợp lệ " + f + ": " + v.message();
            case INVALID_POINTS -> "'points' phải từ 0 đến 10000, tối đa hai chữ số thập phân, nhận được " + arg(a, 0);
            case NO_SCHEME -> "Cụm thi đua '" + arg(a, 0) + "' chưa có bảng tiêu chí chấm điểm năm học " + arg(a, 1)
                    + " (reference.emulation-schemes)";
            case NOT_A_MEMBER -> "'" + arg(a, 0) + "' không phải thành viên của cụm thi đua '" + arg(a, 1) + "' năm học "
                    + arg(a, 2);
            case UNKNOWN_CRITERION -> "Tiêu chí '" + arg(a, 0) + "' không có trong bảng tiêu chí của cụm '" + arg(a, 1)
                    + "' năm học " + arg(a, 2);
            case COMPUTED_CRITERION -> "Tiêu chí '" + arg(a, 0) + "' do hệ thống tự tính từ số liệu, không chấm tay";
            case POINTS_OVER_MAXIMUM -> "Điểm " + arg(a, 0) + " vượt điểm tối đa " + arg(a, 1) + " của tiêu chí '"
                    + arg(a, 2) + "'";
        };
    }

    private static String typeName(String type) {
        return switch (type) {
            case "string" -> "một chuỗi ký tự";
            case "integer" -> "một số nguyên";
            case "array" -> "một mảng";
            case "object" -> "một đối tượng";
            case "number" -> "một số";
            default -> "đúng kiểu dữ liệu";
        };
    }

    private static String arg(List<String> args, int i) {
        return i < args.size() ? args.get(i) : "";
    }
}
