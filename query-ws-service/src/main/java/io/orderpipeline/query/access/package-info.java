/**
 * Identity on the HTTP side: the service is an OAuth2 resource server over the issuer's JWTs ({@code security}
 * module); {@link io.orderpipeline.query.access.QuerySecurity} says which paths need which scope. What a caller sees
 * is decided per order by its account ({@link io.orderpipeline.query.query.Viewer}); STOMP authenticates at CONNECT
 * ({@code io.orderpipeline.query.push.StompAccess}).
 */
package io.orderpipeline.query.access;
