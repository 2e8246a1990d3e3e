package io.orderpipeline.venue.admin;

import io.orderpipeline.venue.book.Faults;
import io.orderpipeline.venue.book.VenueEngine;
import io.orderpipeline.venue.book.VenueOrder;
import io.orderpipeline.venue.fix.FixAcceptor;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The venue's admin API: break and heal it at run time, look into its book and sessions. No authentication: it listens
 * on the loopback interface only (see the module README).
 */
@RestController
@RequestMapping("/admin")
class AdminController {

    private final VenueEngine engine;
    private final FixAcceptor acceptor;

    AdminController(VenueEngine engine, FixAcceptor acceptor) {
        this.engine = engine;
        this.acceptor = acceptor;
    }

    record State(
            List<FixAcceptor.SessionView> sessions,
            Faults faults,
            Map<String, Long> orders,
            int tombstones,
            Map<String, BigDecimal> market) {}

    /** A partial update of the faults: absent fields keep their value. */
    record FaultsUpdate(Double failureRate, Double rejectRate, Long latencyMs, Boolean outage) {}

    record PriceUpdate(BigDecimal price) {}

    /** A book entry as the API shows it. */
    record OrderView(
            String clOrdId,
            String venueOrderId,
            String account,
            String symbol,
            String side,
            String orderType,
            long quantity,
            BigDecimal price,
            long cumQty,
            long leavesQty,
            BigDecimal avgPx,
            String status,
            boolean live,
            String session) {

        static OrderView of(VenueOrder order) {
            return new OrderView(
                    order.clOrdId(),
                    order.venueOrderId(),
                    order.account(),
                    order.symbol(),
                    order.side().name(),
                    order.limit() ? "LIMIT" : "MARKET",
                    order.quantity(),
                    order.price(),
                    order.cumQty(),
                    order.leavesQty(),
                    order.avgPx(),
                    order.status().name(),
                    order.live(),
                    order.session());
        }
    }

    @GetMapping("/state")
    State state() {
        return new State(
                acceptor.sessionViews(),
                engine.faults(),
                engine.book().counts(),
                engine.book().tombstones().size(),
                engine.market().prices());
    }

    @GetMapping("/faults")
    Faults faults() {
        return engine.faults();
    }

    @PutMapping("/faults")
    Faults updateFaults(@RequestBody FaultsUpdate update) {
        Faults next =
                engine.faults().with(update.failureRate(), update.rejectRate(), update.latencyMs(), update.outage());
        engine.faults(next);
        if (next.outage()) {
            acceptor.dropSessions("venue outage");
        }
        return next;
    }

    @PostMapping("/sessions/drop")
    List<FixAcceptor.SessionView> dropSessions() {
        acceptor.dropSessions("dropped by the admin API");
        return acceptor.sessionViews();
    }

    @GetMapping("/orders")
    List<OrderView> orders(@RequestParam(required = false) String clOrdId) {
        List<VenueOrder> orders = clOrdId == null
                ? engine.book().orders()
                : engine.book().order(clOrdId).map(List::of).orElse(List.of());
        return orders.stream().map(OrderView::of).toList();
    }

    /** Expires a live order (ExecType C), so that a test or a demo can show venue-side expiry. */
    @PostMapping("/orders/{clOrdId}/expire")
    ResponseEntity<List<OrderView>> expire(@PathVariable String clOrdId) {
        if (!engine.expire(clOrdId)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        return ResponseEntity.ok(orders(clOrdId));
    }

    @GetMapping("/market")
    Map<String, BigDecimal> market() {
        return engine.market().prices();
    }

    @PutMapping("/market/{symbol}")
    Map<String, BigDecimal> setPrice(@PathVariable String symbol, @RequestBody PriceUpdate update) {
        engine.setPrice(symbol, update.price());
        return engine.market().prices();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
