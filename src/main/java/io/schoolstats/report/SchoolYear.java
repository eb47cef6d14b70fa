package io.schoolstats.report;

import java.time.LocalDate;
import java.time.Month;
import java.util.regex.Pattern;

/** School years ("2023-2024") start on 1 September. */
public final class SchoolYear {
    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{4}");

    private SchoolYear() {
    }

    /** True for {@code YYYY-YYYY+1}. */
    public static boolean isValid(String schoolYear) {
        if (schoolYear == null || !FORMAT.matcher(schoolYear).matches()) {
            return false;
        }
        int first = Integer.parseInt(schoolYear.substring(0, 4));
        int second = Integer.parseInt(schoolYear.substring(5, 9));
        return second == first + 1;
    }

    /** The calendar year a school day's school year starts in: 2024-03-05 gives 2023. */
    public static int startOf(LocalDate date) {
        return date.getMonthValue() >= Month.SEPTEMBER.getValue() ? date.getYear() : date.getYear() - 1;
    }

    /** The first year of a valid school year: 2023 for "2023-2024". */
    public static int start(String schoolYear) {
        return Integer.parseInt(schoolYear.substring(0, schoolYear.indexOf('-')));
    }

    /** The school year a school day belongs to: 2024-03-05 is in 2023-2024, 2024-09-05 in 2024-2025. */
    public static String of(LocalDate date) {
        int start = date.getMonthValue() >= Month.SEPTEMBER.getValue() ? date.getYear() : date.getYear() - 1;
        return start + "-" + (start + 1);
    }
}
