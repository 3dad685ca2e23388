/**
 * Authentication and tenancy (api.md §1): HS256 JWT verification ({@link io.askexpert.auth.JwtVerifier}),
 * tenant resolution against {@code X-Tenant-ID}, and token minting ({@link io.askexpert.auth.TokenMinter}).
 * Controllers only see {@link io.askexpert.auth.TenantContext}.
 */
@NullMarked
package io.askexpert.auth;

import org.jspecify.annotations.NullMarked;
