/**
 * The live page ({@code src/main/resources/static}: plain HTML/CSS/JS with a hand-written STOMP client, no CDN) and
 * {@code POST /api/submit}, which forwards an order to ingest-api so that the browser never makes a cross-origin call.
 */
package io.orderpipeline.query.ui;
