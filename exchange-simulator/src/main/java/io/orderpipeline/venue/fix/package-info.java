/** The venue's FIX 4.4 acceptor (QuickFIX/J, dynamic sessions for any SenderCompID logging on to {@code VENUE}). */
package io.orderpipeline.venue.fix;
