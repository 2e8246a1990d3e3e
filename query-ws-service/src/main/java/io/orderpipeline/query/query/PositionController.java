package io.orderpipeline.query.query;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-account positions from fills. Computed at request time from the orders' states, gathered from one copy of every
 * partition like a listing ({@link OrderQueryService#positions}), so it is as fresh as {@code GET /orders/{id}} and
 * needs no store of its own; a position costs one read of each of the account's orders.
 */
@Tag(name = "positions", description = "Positions per account, from fills")
@RestController
class PositionController {

    private final OrderQueryService queries;
    private final Viewers viewers;

    PositionController(OrderQueryService queries, Viewers viewers) {
        this.queries = queries;
        this.viewers = viewers;
    }

    @Operation(
            summary = "Net quantity and average cost per symbol of an account, from its fills",
            description = "Needs orders:read and the account in the token (orders:admin: any account); another"
                    + " account is 403. An account without fills has no positions (200, empty list). Average cost"
                    + " is the total average cost: the average price of all buy fills for a long position, of all"
                    + " sell fills for a short one; realizedPnl = matched quantity x (average sell - average buy).")
    @GetMapping("/accounts/{accountId}/positions")
    AccountPositions positions(@PathVariable String accountId) {
        Viewer viewer = viewers.current();
        viewer.listedAccounts(accountId); // 403 unless the caller may see it
        return new AccountPositions(
                accountId,
                queries.positions(accountId, viewer).stream().map(Position::of).toList());
    }
}
