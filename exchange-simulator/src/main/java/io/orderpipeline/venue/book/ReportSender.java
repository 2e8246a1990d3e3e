package io.orderpipeline.venue.book;

/** Hands a report to the FIX session it names (which stores it for resend if that session is not logged on). */
@FunctionalInterface
public interface ReportSender {

    void send(Report report);
}
