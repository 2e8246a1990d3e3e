/**
 * The live page ({@code src/main/resources/static}: plain HTML/CSS/JS with a hand-written STOMP client, no CDN) and
 * the write proxies {@code POST /api/submit}, {@code POST /api/orders/{id}/cancel} and {@code PATCH /api/orders/{id}},
 * which forward an order, a cancel or an amend (and the caller's bearer token) to ingest-api so that the browser never
 * makes a cross-origin call, and {@code GET /config.json}, the page's sign-in settings.
 */
package io.orderpipeline.query.ui;
