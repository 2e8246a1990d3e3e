/**
 * Identity, shared by ingest-api and query-ws-service: both are OAuth2 resource servers over JWTs from one issuer
 * (the embedded {@code auth-server} by default, any OIDC issuer by configuration). A token names its principal's
 * accounts in the {@code accounts} claim and its rights in {@code scope}; {@link io.orderpipeline.security.Caller}
 * is what the services decide on. See {@code docs/ARCHITECTURE.md}, "Identity".
 */
package io.orderpipeline.security;
