package io.orderpipeline.query.kafka;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.rest.client.error.ApicurioRestClientException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * Tells a record that cannot be read <em>now</em>, because the schema registry could not be asked for its writer
 * schema, from a record that cannot be read at all. The first kind must be read again later: skipping it would lose a
 * valid state (the read side's deserialization policy is otherwise log-and-skip).
 *
 * <p>The first record of each schema id asks the registry; Apicurio's client reports a transport failure as a {@link
 * RestClientException} whose error carries no HTTP status (the cause's class name only, e.g. {@code
 * ConnectException}), an HTTP failure with its status, and refusals (rate limit, credentials) as their own types. A
 * 5xx, 408 or transport failure, a refusal, and a network exception anywhere in the cause chain count as an outage; a
 * 4xx such as 404 (no schema with that id), a wrong magic byte or an Avro decoding error do not.
 */
public final class RegistryOutage {

    private RegistryOutage() {}

    /** Whether {@code failure} (or one of its causes) means the registry could not be asked. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RestClientException rest) {
                Integer status =
                        rest.getError() == null ? null : rest.getError().getErrorCode();
                return status == null || status >= 500 || status == 408;
            }
            if (t instanceof ApicurioRestClientException) {
                return true; // rate limited, not (or no longer) authorized: the registry refuses for now
            }
            if (t instanceof ConnectException
                    || t instanceof SocketException
                    || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
