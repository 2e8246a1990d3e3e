package io.orderpipeline.query.query;

import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.query.view.LocalPage;
import io.orderpipeline.query.view.LocalPositions;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.PageQuery;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Instance-to-instance queries: answers from this instance's own copies only (never forwards, so forwarding cannot
 * loop). Not part of the public API. A forwarded query carries the original caller's bearer token, authenticated
 * here like any request, and the caller's rules apply here as they do at the public API: an order of an account the
 * caller may not see is not found, and a listing covers only accounts the caller may see (a forwarded listing that
 * names another account is refused with 403).
 */
@Hidden
@RestController
@RequestMapping("/internal")
class InternalQueryController {

    private final LocalOrderStore local;
    private final Viewers viewers;

    InternalQueryController(LocalOrderStore local, Viewers viewers) {
        this.local = local;
        this.viewers = viewers;
    }

    @GetMapping("/orders/{orderId}")
    ResponseEntity<OrderView> find(@PathVariable String orderId, @RequestParam int partition) {
        Viewer viewer = viewers.current();
        return local.find(orderId, partition)
                .filter(viewer::sees)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /**
     * @param accounts present (the number of {@code account} values) when the listing covers given accounts; absent
     *     for every account, which only an operator may ask for
     */
    @GetMapping("/orders")
    LocalPage page(
            @RequestParam String partitions,
            @RequestParam int count,
            @RequestParam(required = false) Integer accounts,
            @RequestParam(required = false) List<String> account,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String symbol,
            @RequestParam(required = false) String after) {
        Viewer viewer = viewers.current();
        Set<String> listed;
        if (accounts == null) {
            listed = viewer.listedAccounts(null);
        } else {
            listed = account == null ? Set.of() : Set.copyOf(account);
            listed.forEach(viewer::listedAccounts); // each must be the caller's
        }
        return local.page(new PageQuery(listed, status, symbol, after, count), partitions(partitions));
    }

    /** The account's fills in these partitions, summed per symbol; 403 for an account the caller may not see. */
    @GetMapping("/accounts/{accountId}/positions")
    LocalPositions positions(@PathVariable String accountId, @RequestParam String partitions) {
        viewers.current().listedAccounts(accountId);
        return local.positions(accountId, partitions(partitions));
    }

    private static List<Integer> partitions(String partitions) {
        return Arrays.stream(partitions.split(","))
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }
}
