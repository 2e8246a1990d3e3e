package io.orderpipeline.fixgateway;

/**
 * Told when the session logs on or off, on QuickFIX/J's thread (keep it short): for a health indicator, or to ask the
 * venue for the status of open orders after a logon (a repeated request with the same ClOrdID is answered with
 * ORDER_STATUS and moves the order's later reports to this session).
 */
public interface SessionListener {

    SessionListener NONE = new SessionListener() {};

    /** @param session e.g. {@code FIX.4.4:PIPELINE-1->VENUE} */
    default void onLogon(String session) {}

    default void onLogout(String session) {}
}
