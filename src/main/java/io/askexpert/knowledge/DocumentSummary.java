package io.askexpert.knowledge;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A stored document as listings show it. */
public record DocumentSummary(String id, String externalId, String title, @Nullable String url, String namespace,
                              @Nullable String domain, boolean isPublic, String origin, int chunks,
                              Instant createdAt, Instant updatedAt) {
}
