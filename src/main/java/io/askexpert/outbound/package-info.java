/**
 * Outbound HTTP to addresses that users or tenants chose (webhooks, the {@code http_post} tool, MCP
 * servers over HTTP): one address policy, applied after name resolution, that refuses private,
 * loopback, link-local, unique-local, multicast and cloud-metadata addresses unless the operator
 * lists the host in {@code OUTBOUND_ALLOWED_HOSTS}; time and size limits on every exchange.
 * Entry point: {@link io.askexpert.outbound.OutboundHttp}.
 */
@NullMarked
package io.askexpert.outbound;

import org.jspecify.annotations.NullMarked;
