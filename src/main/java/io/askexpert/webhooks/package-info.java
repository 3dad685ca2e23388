/**
 * Webhooks: each tenant may configure one endpoint that receives its mission notifications
 * (checkpoint raised, mission completed, failed or cancelled) as signed JSON POSTs, written to an
 * outbox first and delivered with retries by one periodic duty. Entry point:
 * {@link io.askexpert.webhooks.Webhooks}; outbound requests go through {@code outbound}.
 */
@NullMarked
package io.askexpert.webhooks;

import org.jspecify.annotations.NullMarked;
