package io.askexpert.webhooks;

import io.askexpert.config.WebhookSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one periodic duty of webhooks: every poll interval (and right after a notification) it claims
 * the due deliveries, makes one attempt at each in parallel, and records every attempt. Claims are
 * exclusive across instances, so several instances never send one delivery at once.
 */
final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 16;

    private final DeliveryStore deliveries;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("webhook-dispatcher").factory());
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();

    WebhookDispatcher(DeliveryStore deliveries, WebhookSender sender, WebhookSettings settings) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.settings = settings;
        long period = settings.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Look for due deliveries now rather than at the next poll (a notification was just written). */
    void wake() {
        try {
            timer.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the outbox keeps the delivery for the next start
        }
    }

    private void tick() {
        try {
            List<DeliveryStore.Claimed> claimed;
            do {
                claimed = deliveries.claimDue(BATCH, settings.claimLease());
                List<? extends java.util.concurrent.Future<?>> running =
                        claimed.stream().map(c -> sends.submit(() -> attempt(c))).toList();
                for (java.util.concurrent.Future<?> f : running) {
                    f.get();
                }
            } while (claimed.size() == BATCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The database is unreachable or a send failed unexpectedly: claims expire, the next tick retries.
            log.debug("Webhook dispatch round failed: {}", e.getClass().getSimpleName());
        }
    }

    private void attempt(DeliveryStore.Claimed delivery) {
        Instant started = Instant.now();
        WebhookSender.Outcome outcome = sender.attempt(delivery);
        long ms = Duration.between(started, Instant.now()).toMillis();
        switch (outcome) {
            case WebhookSender.Outcome.Delivered d -> deliveries.record(delivery.id(),
                    new WebhookDelivery.Attempt(delivery.attempt(), started, d.status(), null, ms),
                    WebhookDelivery.Status.DELIVERED, null);
            case WebhookSender.Outcome.GiveUp g -> {
                deliveries.record(delivery.id(), new WebhookDelivery.Attempt(delivery.attempt(), started, g.status(), g.error(), ms),
                        WebhookDelivery.Status.FAILED, null);
                log.info("Webhook delivery {} ({}) of tenant {} failed for good: {}", delivery.id(), delivery.eventType(),
                        delivery.tenantId(), g.error());
            }
            case WebhookSender.Outcome.Retry r -> {
                boolean last = delivery.attempt() >= settings.maxAttempts();
                Duration wait = WebhookSender.backoff(delivery.attempt(), settings.backoff(), settings.maxBackoff());
                deliveries.record(delivery.id(), new WebhookDelivery.Attempt(delivery.attempt(), started, r.status(), r.error(), ms),
                        last ? WebhookDelivery.Status.FAILED : WebhookDelivery.Status.PENDING, last ? null : wait);
                if (last) {
                    log.info("Webhook delivery {} of tenant {} failed after {} attempts: {}", delivery.id(), delivery.tenantId(),
                            delivery.attempt(), r.error());
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sends.shutdownNow();
    }
}
