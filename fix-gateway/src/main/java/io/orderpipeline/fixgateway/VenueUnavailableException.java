package io.orderpipeline.fixgateway;

/**
 * The request was not handed to the venue: the session is not logged on (venue down, outage, reconnecting) or the
 * send failed. Nothing reached the venue from this attempt; it is safe, and expected, to retry with the same ClOrdID.
 */
public class VenueUnavailableException extends RuntimeException {

    public VenueUnavailableException(String message) {
        super(message);
    }

    public VenueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
