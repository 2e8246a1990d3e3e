/**
 * The live page ({@code src/main/resources/static}: plain HTML/CSS/JS with a hand-written STOMP client, no CDN) and
 * the write proxies {@code POST /api/submit}, {@code POST /api/orders/{id}/cancel} and {@code PATCH /api/orders/{id}},
 * which forward an order, a cancel or an amend (and the caller's bearer token) to ingest-api so that the browser never
 * makes a cross-origin call, and {@code GET /config.json}, the page's sign-in settings. For operators ({@code
 * orders:admin}): the filtered replay {@code POST /admin/orders/replay?reason=&from=&to=} and the operator view's
 * proxies (single replay, re-drive, the venue's state), {@link io.orderpipeline.query.ui.OperatorController}; every
 * forward goes through {@link io.orderpipeline.query.ui.Forwarder}.
 */
package io.orderpipeline.query.ui;
