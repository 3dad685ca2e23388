package io.askexpert.knowledge;

import org.jspecify.annotations.Nullable;

/**
 * A passage of a document: whole sentences under one heading path.
 *
 * @param heading the headings above it, outermost first, joined by " › "; null when there are none
 * @param words   whitespace-separated words in {@code text}
 */
record Chunk(int ordinal, @Nullable String heading, String text, int words) {
}
