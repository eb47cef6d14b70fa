package io.schoolstats.topology;

import io.schoolstats.reference.Scope;

/**
 * Names of the state stores (and so of their changelog topics). They are part of the deployed
 * state: renaming one orphans its changelog, so they never change casually.
 */
public final class StoreNames {
    /** Winning revision per natural key ({@code schoolId|type|...}). */
    public static final String SCHOOL_REPORTS = "school-reports";
    /** Each school's own aggregates ({@code schoolId|period}). */
    public static final String SCHOOL_STATS = "school-stats";
    public static final String SCHOOL_REFS = "school-refs";
    /** Per task, the latest attendance date of any accepted report. */
    public static final String LATEST_DAY = "latest-day";
    /** The one key of the latest-day store of each task. */
    public static final String LATEST_DAY_KEY = "latest";
    /** Cluster rows as read, keyed {@code clusterId|schoolYear}, to diff memberships. */
    public static final String CLUSTER_ROWS = "cluster-rows";
    /** Cluster rows at the cluster stage, keyed {@code clusterId|schoolYear}. */
    public static final String CLUSTER_INFO = "cluster-info";
    /** Each member's share of a cluster aggregate ({@code clusterId|period|member}). */
    public static final String CLUSTER_MEMBER_STATS = "cluster-member-stats";
    /** Members' names as their stages last sent them ({@code clusterId|member}). */
    public static final String CLUSTER_MEMBER_NAMES = "cluster-member-names";

    private StoreNames() {
    }

    /** Aggregates of a scope, keyed {@code code|period}. */
    public static String stats(Scope scope) {
        return scope.label() + "-stats";
    }

    /** Reference rows of districts or provinces, keyed by code. */
    public static String refs(Scope scope) {
        return scope.label() + "-refs";
    }

    /** Aggregates of a scope changed since the last flush (see Outbox), keyed like the aggregates. */
    public static String changed(Scope scope) {
        return scope.label() + "-changed";
    }

    /** Deltas a scope owes the units above it since the last flush (see Outbox). */
    public static String pending(Scope scope) {
        return scope.label() + "-pending";
    }

    /** Cluster memberships of districts or provinces, keyed {@code code|schoolYear|clusterId}. */
    public static String memberships(Scope scope) {
        return scope.label() + "-clusters";
    }
}
