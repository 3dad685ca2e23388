package io.askexpert.missions;

/** What one step found, in Markdown with the mission's source numbers as citations. */
record StepFindings(int number, String name, String text) {
}
