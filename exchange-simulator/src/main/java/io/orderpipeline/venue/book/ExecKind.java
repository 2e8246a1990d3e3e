package io.orderpipeline.venue.book;

/** What a {@link Report} is: an ExecutionReport with ExecType(150) {@link #fix()}, or an OrderCancelReject(9). */
public enum ExecKind {
    NEW('0'),
    TRADE('F'),
    CANCELED('4'),
    REPLACED('5'),
    REJECTED('8'),
    EXPIRED('C'),
    ORDER_STATUS('I'),
    /** An OrderCancelReject(9), not an ExecutionReport. */
    CANCEL_REJECT('-');

    private final char fix;

    ExecKind(char fix) {
        this.fix = fix;
    }

    public char fix() {
        return fix;
    }
}
