package io.schoolstats.reference;

import java.util.List;

/**
 * An emulation cluster (cụm thi đua) for one school year: a group of district offices
 * ({@code scope = district}) or provincial departments ({@code scope = province}).
 */
public record Cluster(String clusterId, String name, String schoolYear, Scope scope, List<String> members,
                      String head) {
    public Cluster {
        members = List.copyOf(members);
    }

    /** The key of a cluster on {@code reference.clusters}: {@code HN-C1|2023-2024}. */
    public String key() {
        return key(clusterId, schoolYear);
    }

    public static String key(String clusterId, String schoolYear) {
        return clusterId + "|" + schoolYear;
    }
}
