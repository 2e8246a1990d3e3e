package io.orderpipeline.venue.book;

/** OrdStatus(39) of a book entry. */
public enum VenueStatus {
    NEW('0'),
    PARTIALLY_FILLED('1'),
    FILLED('2'),
    CANCELED('4'),
    REJECTED('8'),
    EXPIRED('C');

    private final char fix;

    VenueStatus(char fix) {
        this.fix = fix;
    }

    public char fix() {
        return fix;
    }

    /** Still working at the venue: it can fill, be cancelled or replaced. */
    public boolean live() {
        return this == NEW || this == PARTIALLY_FILLED;
    }
}
