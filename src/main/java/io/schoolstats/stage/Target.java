package io.schoolstats.stage;

/** A unit that another one rolls up into: a stage and the unit's code there. */
public record Target(Stage stage, String code) {
}
