/** The venue's admin HTTP API ({@code /admin/**}): faults, sessions, book, market prices. Loopback only, no auth. */
package io.orderpipeline.venue.admin;
