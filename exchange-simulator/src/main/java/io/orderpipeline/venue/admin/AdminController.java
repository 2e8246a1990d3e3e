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
    List<VenueOrder> orders(@RequestParam(required = false) String clOrdId) {
        if (clOrdId != null) {
            return engine.book().order(clOrdId).map(List::of).orElse(List.of());
        }
        return engine.book().orders();
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
