package io.orderpipeline.venue.book;

/** Side(54) of an order: 1 buy, 2 sell. */
public enum Side {
    BUY('1'),
    SELL('2');

    private final char fix;

    Side(char fix) {
        this.fix = fix;
    }

    public char fix() {
        return fix;
    }

    public static Side fromFix(char value) {
        return switch (value) {
            case '1' -> BUY;
            case '2' -> SELL;
            default -> throw new IllegalArgumentException("unsupported Side(54): " + value);
        };
    }
}
