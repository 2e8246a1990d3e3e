package io.orderpipeline.query.query;

import java.util.List;

/**
 * {@code GET /accounts/{accountId}/positions}: one {@link Position} per symbol the account has fills in (a flat one
 * too, for its realized result), by symbol.
 */
record AccountPositions(String accountId, List<Position> positions) {

    AccountPositions {
        positions = List.copyOf(positions);
    }
}
