package io.orderpipeline.query.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextCursor}: the sort key (inverted creation time, order id) of the last item of a page, encoded
 * as base64url. The next page starts strictly after it. Sort keys never change for an order, so a walk over the pages
 * never returns an order twice and never skips one that existed (and matched) for the whole walk; orders created
 * during the walk sort before the cursor and show up on a fresh first page instead.
 */
final class Cursor {

    private static final String VERSION = "v1.";

    private Cursor() {}

    static String encode(String sortKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((VERSION + sortKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key in {@code cursor}; {@link InvalidQueryException} if it was not made by {@link #encode}. */
    static String decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor", "cursor is not valid");
        }
        if (!text.startsWith(VERSION) || text.length() <= VERSION.length() + 19) {
            throw new InvalidQueryException("cursor", "cursor is not valid");
        }
        String sortKey = text.substring(VERSION.length());
        for (int i = 0; i < 19; i++) {
            if (!Character.isDigit(sortKey.charAt(i))) {
                throw new InvalidQueryException("cursor", "cursor is not valid");
            }
        }
        return sortKey;
    }
}
