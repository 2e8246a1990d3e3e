/**
 * Identity, shared by ingest-api and query-ws-service: both are OAuth2 resource servers over JWTs from one issuer
 * (the embedded {@code auth-server} by default, any OIDC issuer by configuration). A token names its principal's
 * accounts in the {@code accounts} claim and its rights in {@code scope}; {@link io.orderpipeline.security.Caller}
 * is what the services decide on. See {@code docs/ARCHITECTURE.md}, "Identity".
 *
 * <p><b>Cost per request</b> (issue 12: at most 10 % of POST throughput). Validated tokens are cached ({@link
 * io.orderpipeline.security.CachingJwtDecoder}, settings {@link io.orderpipeline.security.TokenCacheSettings}:
 * {@code orders.security.token-cache.max-size} = 4096, 0 = off, {@code .max-age} = 5m); the bearer header is read and
 * checked by loops instead of regular expressions ({@link io.orderpipeline.security.BearerTokens}, {@link
 * io.orderpipeline.security.HeaderCharacters}: the same rules as Spring Security's); filters a stateless API does not
 * need are off ({@link io.orderpipeline.security.ResourceServer}) and so are Spring Security's observations ({@link
 * io.orderpipeline.security.SecurityAutoConfiguration}). Measured with {@code bench}'s {@code
 * SecurityFilterChainBenchmark} (the whole chain of an authenticated POST) and a JFR profile of ingest-api under load.
 */
package io.orderpipeline.security;
