/**
 * ingest-api: the only write path into the order pipeline.
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code POST /orders} ({@code application/json}, the wire contract of {@code docs/ARCHITECTURE.md}) → {@code 202 Accepted},
 *       {@code Location: /orders/{orderId}}, body {@code {"orderId","status":"PENDING","commandId","accountId",
 *       "clientOrderId","acceptedAt"}}, sent once the PLACE command is committed in {@code orders.commands}.
 *   <li>{@code POST /orders/{orderId}/cancel} (no body) → {@code 202}, body {@code {"orderId",
 *       "status":"CANCEL_REQUESTED","commandId","acceptedAt"}}. Whether the order can still be cancelled is the
 *       stream-processor's decision.
 *   <li>{@code PATCH /orders/{orderId}} ({@code application/json} or {@code application/merge-patch+json}: {@code
 *       {"quantity":150}} and/or {@code {"price":"187.30"}}, a number or a string as in a POST; absent or {@code null}
 *       keeps the value; alias {@code POST /orders/{orderId}/replace}) → {@code 202}, {@code Location}, body {@code
 *       {"orderId","status":"AMEND_REQUESTED","commandId","acceptedAt"}} once the AMEND command is committed ({@code
 *       OrderCommand.quantity} = the new quantity or 0, {@code price} = the new limit or null). Routed, authorized and
 *       answered like a cancel; the stream-processor validates the change again and sends the venue a cancel/replace.
 *   <li>{@code POST /orders/batch} (a JSON array of up to 1,000 orders) → {@code 202} {@code {"accepted","rejected",
 *       "acceptedAt","items":[…]}}: valid orders written in one transaction, invalid ones listed with their problem;
 *       the contract is on {@code io.orderpipeline.ingest.order.OrderBatchController}.
 *   <li>Operators ({@code orders:admin} only; package {@code io.orderpipeline.ingest.admin}): {@code POST
 *       /admin/orders/{orderId}/replay} and {@code POST /admin/orders/replay} (a JSON array of ids) write REPLAY
 *       commands (the stream-processor reopens a FAILED order once); {@code POST /admin/dead-letters/{ref}/redrive} and
 *       {@code POST /admin/dead-letters/redrive} (a JSON array of refs) send dead letters back exactly once, marked on
 *       {@code orders.redrives}.
 *   <li>Partitioning: a PLACE is keyed by its {@code accountId}; every order id carries its account's route
 *       ({@code io.orderpipeline.schemas.OrderRouting}), and a CANCEL or AMEND, keyed by the order id, is written to the
 *       partition that route names, the partition of the order's PLACE.
 *   <li>Every command carries {@code principal}, the token's subject ({@code sub}) of the request that wrote it.
 *   <li>OpenAPI at {@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}; Actuator {@code /actuator/health}
 *       (components {@code kafka}, {@code idempotency}; readiness group includes both, liveness does not), {@code
 *       /actuator/prometheus}.
 * </ul>
 *
 * <h2>Identity</h2>
 *
 * <p>An OAuth2 resource server ({@code web.WebSecurity}, {@code io.orderpipeline.security}): every write needs a JWT of
 * the configured issuer with {@code orders:write}; no or an invalid token is 401 with {@code WWW-Authenticate}, a
 * token without the scope 403. A PLACE (single or in a batch) for an account the token does not act for is 403 and
 * writes nothing; a cancel or amend of an order routed to none of the token's accounts is 404, as for an unknown id. Health and
 * the API docs are open, metrics need {@code orders:admin}.
 *
 * <h2>Errors ({@code application/problem+json}, RFC 9457; member {@code errors} = [{field, code, message}])</h2>
 *
 * <ul>
 *   <li>400 {@code invalid-request}: malformed JSON, empty body, not an object, duplicate members, wrong types,
 *       missing fields, unknown enum values, quantity outside 1..{@code max-quantity}, LIMIT without price, MARKET with
 *       price, price ≤ 0, above {@code max-price} or with more than 6 decimals, over-long or non-printable strings,
 *       unknown fields, a bad {@code Idempotency-Key} or order id; an amend without quantity and price ({@code body}).
 *       Every bad field is listed at once.
 *   <li>413 {@code payload-too-large}: body above {@code max-body-size} (declared or streamed); {@code
 *       batch-too-large}: more than {@code orders.ingest.batch.max-items} orders in a batch. 415 {@code
 *       unsupported-media-type}: Content-Type other than {@code application/json}.
 *   <li>401 {@code unauthorized}, 403 {@code forbidden} (no scope, or an account the token does not act for), 404
 *       {@code order-not-found} (a cancel or amend of an id not routed to the token's accounts).
 *   <li>422 {@code idempotency-key-reused}: the key was used with a different body.
 *   <li>503 + {@code Retry-After}: {@code kafka-unavailable} (not written, never will be), {@code
 *       idempotency-store-unavailable} (keys cannot be checked; nothing written), {@code outcome-unknown} (the broker
 *       was lost during the commit itself; retry with the same key).
 * </ul>
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Unknown fields are refused</b> ({@code unknown_field}): a misspelt {@code "qty"} must not become a different
 *       order. {@code orders.ingest.limits.reject-unknown-fields=false} ignores them instead. {@code "price": null} is
 *       the same as no price.
 *   <li><b>Delivery</b>: commands are written in group-committed Kafka transactions ({@code
 *       io.orderpipeline.ingest.command.CommandLog}); consumers must read {@code read_committed} (Kafka Streams with
 *       {@code exactly_once_v2} does).
 *   <li><b>Idempotency-Key</b>: see {@code io.orderpipeline.ingest.order.OrderIntake} and {@code
 *       io.orderpipeline.ingest.idempotency.IdempotencyStore}.
 *   <li><b>503 bound</b>: every request is answered within {@code IngestSettings.Producer.bound()} (max-block +
 *       delivery-timeout + commit-timeout, 9 s by default; only {@code outcome-unknown} can take that long); while the
 *       broker is unreachable within {@code unreachableBound()} (max-block + delivery-timeout: typically 5 s for the
 *       first request, 1 s for the following ones, 6 s at worst), a keyed PLACE within the idempotency catch-up
 *       timeout (2 s).
 *   <li><b>Recovery without restart</b>: the service starts while Kafka is away and heals when it comes. Topic
 *       creation ({@code command.TopicProvisioning}), the committers ({@code command.Committer}) and the idempotency
 *       reader retry with backoff until they succeed, each logging what happened; readiness is DOWN meanwhile.
 *   <li><b>Fencing on restart</b>: the transactional ids derive from {@code orders.ingest.instance-id} (default host
 *       name + {@code server.port}), so a restarted instance aborts its crashed predecessor's open transaction at
 *       once.
 * </ul>
 */
package io.orderpipeline.ingest;
