package io.askexpert.webhooks;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.OutboundRefused;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Entry point of webhooks. A mission calls {@link #notify(String, MissionNotification)}: when the
 * tenant's webhook wants that event, the delivery is written to the outbox (table
 * {@code webhook_deliveries}) and handed to the dispatcher, which signs and sends it and retries it
 * with exponential backoff; the call itself never waits for the receiver. Admin routes configure the
 * webhook; its secret is write-only.
 */
public class Webhooks {

    public static final int MIN_SECRET = 16;
    public static final int MAX_SECRET = 512;
    public static final int MAX_URL = 2048;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebhookStore webhooks;
    private final DeliveryStore deliveries;
    private final AddressPolicy policy;
    private final Runnable wake;
    private final Clock clock;

    Webhooks(WebhookStore webhooks, DeliveryStore deliveries, AddressPolicy policy, Runnable wake, Clock clock) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.policy = policy;
        this.wake = wake;
        this.clock = clock;
    }

    /**
     * Records a notification for delivery when the tenant's webhook wants it.
     *
     * @return the delivery id (also the {@code X-AskExpert-Delivery} header), or empty when no
     *         webhook of the tenant asks for this event
     */
    public Optional<UUID> notify(String tenantId, MissionNotification notification) {
        return record(tenantId, notification, null);
    }

    /**
     * As {@link #notify(String, MissionNotification)}, at most once per {@code dedupeKey} and tenant:
     * a mission that replays the code raising the notification (after a crash or a resume) passes the
     * same key, e.g. {@code mission/<id>/checkpoint/<checkpoint id>}, and gets the first delivery's id back.
     */
    public Optional<UUID> notify(String tenantId, MissionNotification notification, String dedupeKey) {
        if (dedupeKey.isBlank() || dedupeKey.length() > 256) {
            throw new IllegalArgumentException("a dedupe key has 1-256 characters");
        }
        return record(tenantId, notification, dedupeKey);
    }

    private Optional<UUID> record(String tenantId, MissionNotification notification, @Nullable String dedupeKey) {
        Optional<WebhookConfig> config = webhooks.find(tenantId);
        if (config.isEmpty() || !config.get().wants(notification.type())) {
            return Optional.empty();
        }
        UUID candidate = UUID.randomUUID();
        UUID id = deliveries.insert(candidate, tenantId, notification.type().wireName(), notification.missionId(),
                body(candidate, tenantId, notification), dedupeKey);
        if (id.equals(candidate)) {
            wake.run();
        }
        return Optional.of(id);
    }

    /** The signed payload: {@code {id, type, created_at, tenant_id, data{mission_id, title, message, status, occurred_at}}}. */
    private String body(UUID id, String tenantId, MissionNotification n) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mission_id", n.missionId().toString());
        data.put("title", n.title());
        data.put("message", n.message());
        data.put("status", n.status());
        data.put("occurred_at", n.occurredAt().toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toString());
        body.put("type", n.type().wireName());
        body.put("created_at", Instant.now(clock).toString());
        body.put("tenant_id", tenantId);
        body.put("data", data);
        return JSON.writeValueAsString(body);
    }

    /**
     * Creates or replaces the tenant's webhook. {@code secret} may be left out when one is already
     * stored (it is kept); {@code events} null or empty means every event.
     *
     * @throws AskExpertException {@code VALIDATION_ERROR} naming the field
     */
    public WebhookConfig configure(String tenantId, @Nullable String url, @Nullable String secret,
                                   @Nullable List<String> events) {
        URI target = url(url);
        String key = null;
        if (secret != null) {
            key = InputText.require("secret", secret, MIN_SECRET, MAX_SECRET);
        } else if (webhooks.find(tenantId).isEmpty()) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "secret is required when the webhook is created",
                    Map.of("field", "secret", "min_length", MIN_SECRET));
        }
        return webhooks.save(tenantId, target, key, events(events));
    }

    public Optional<WebhookConfig> webhook(String tenantId) {
        return webhooks.find(tenantId);
    }

    /** Removes the webhook; deliveries still pending fail with "the tenant's webhook was removed". */
    public boolean remove(String tenantId) {
        return webhooks.delete(tenantId);
    }

    public WebhookDelivery.Page deliveries(String tenantId, WebhookDelivery.@Nullable Status status, int limit, int offset) {
        return deliveries.page(tenantId, status, limit, offset);
    }

    private URI url(@Nullable String url) {
        String text = InputText.require("url", url, 1, MAX_URL);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw AskExpertException.invalid("url", "url is not a valid URL");
        }
        try {
            // Checked now so that the admin learns at once; checked again before every attempt.
            policy.check(uri);
        } catch (OutboundRefused e) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "url refused: " + e.getMessage(),
                    e.addressClass() == null ? Map.of("field", "url")
                            : Map.of("field", "url", "address_class", e.addressClass().wireName()));
        }
        return uri;
    }

    private static Set<NotificationType> events(@Nullable List<String> names) {
        if (names == null || names.isEmpty()) {
            return EnumSet.allOf(NotificationType.class);
        }
        Set<NotificationType> events = EnumSet.noneOf(NotificationType.class);
        for (String name : names) {
            NotificationType type = NotificationType.fromWire(name == null ? "" : name.strip())
                    .orElseThrow(() -> new AskExpertException(ErrorCode.VALIDATION_ERROR,
                            "events holds an unknown event; allowed: " + String.join(", ", NotificationType.wireNames()),
                            Map.of("field", "events", "allowed", NotificationType.wireNames())));
            events.add(type);
        }
        return events;
    }
}
