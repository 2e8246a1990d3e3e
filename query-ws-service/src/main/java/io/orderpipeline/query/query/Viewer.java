package io.orderpipeline.query.query;

import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.security.Caller;
import java.util.Objects;
import java.util.Set;

/**
 * Who reads: the {@link Caller} of a request or STOMP session, and the bearer token it presented. The token goes
 * along when a query is forwarded to the instance that holds the data, and that instance applies the same rules to
 * it ({@link InternalQueryController}): no instance answers more than the caller may see.
 *
 * <p>The rules: a caller sees an order iff it may act for the order's account ({@link Caller#mayActFor}); an operator
 * ({@code orders:admin}) sees every order.
 */
public record Viewer(Caller caller, String token) {

    public Viewer {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(token, "token");
    }

    /** Whether the order is one the caller may see. */
    public boolean sees(OrderView order) {
        return caller.mayActFor(order.accountId());
    }

    /**
     * The accounts a listing covers: {@code null} (every account) for an operator without a filter; the filter's one
     * account if the caller may see it; otherwise the caller's own accounts.
     *
     * @throws AccountNotVisibleException when {@code accountId} is given and the caller may not see it
     */
    Set<String> listedAccounts(String accountId) {
        if (accountId != null) {
            if (!caller.mayActFor(accountId)) {
                throw new AccountNotVisibleException(accountId);
            }
            return Set.of(accountId);
        }
        return caller.visibleAccounts().orElse(null);
    }
}
