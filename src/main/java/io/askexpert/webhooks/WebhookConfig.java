package io.askexpert.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A tenant's webhook as it may be shown: the secret is write-only and never part of it. */
public record WebhookConfig(String tenantId, URI url, Set<NotificationType> events, Instant createdAt, Instant updatedAt) {

    public WebhookConfig {
        events = Set.copyOf(events);
    }

    public boolean wants(NotificationType type) {
        return events.contains(type);
    }

    public List<String> eventNames() {
        return events.stream().sorted().map(NotificationType::wireName).toList();
    }
}
