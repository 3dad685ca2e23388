/**
 * Authentication and tenancy (api.md §1): HS256 JWT verification, tenant resolution against
 * {@code X-Tenant-ID}, and token minting. Entry point: {@link io.askexpert.auth.TenantContext}.
 */
@NullMarked
package io.askexpert.auth;

import org.jspecify.annotations.NullMarked;
