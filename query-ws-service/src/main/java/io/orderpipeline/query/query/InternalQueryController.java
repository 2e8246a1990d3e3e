package io.orderpipeline.query.query;

import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.query.view.LocalPage;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.PageQuery;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Instance-to-instance queries: answers from this instance's own copies only (never forwards, so forwarding cannot
 * loop). Not part of the public API.
 */
@Hidden
@RestController
@RequestMapping("/internal/orders")
class InternalQueryController {

    private final LocalOrderStore local;

    InternalQueryController(LocalOrderStore local) {
        this.local = local;
    }

    @GetMapping("/{orderId}")
    ResponseEntity<OrderView> find(@PathVariable String orderId, @RequestParam int partition) {
        return local.find(orderId, partition)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @GetMapping
    LocalPage page(
            @RequestParam String partitions,
            @RequestParam int count,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String symbol,
            @RequestParam(required = false) String after) {
        List<Integer> wanted = Arrays.stream(partitions.split(","))
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
        return local.page(new PageQuery(status, symbol, after, count), wanted);
    }
}
