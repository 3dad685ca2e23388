/**
 * The HTTP edge: request ids, authentication, body and rate limits, the api.md §2 error
 * envelope ({@link io.askexpert.api.ApiExceptionHandler}), health and metrics routes. Code here
 * only translates between HTTP and the capabilities.
 */
@NullMarked
package io.askexpert.api;

import org.jspecify.annotations.NullMarked;
