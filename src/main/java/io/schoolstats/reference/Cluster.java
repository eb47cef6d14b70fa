package io.schoolstats.reference;

import java.util.List;

/**
 * An emulation cluster (cụm thi đua) for one school year: a group of district offices
 * ({@code scope = district}), of communes ({@code commune}) or of provincial departments
 * ({@code province}).
 */
public record Cluster(String clusterId, String name, String schoolYear, Scope scope, List<String> members,
                      String head) {
    public Cluster {
        members = List.copyOf(members);
    }

    /** The key of a cluster on {@code reference.clusters}: {@code HN-C1|2023-2024}. */
    public RowKey key() {
        return new RowKey(clusterId, schoolYear);
    }
}
