package io.orderpipeline.processor.venue;

import io.orderpipeline.fixgateway.VenueConnection;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code /actuator/health} component {@code venue}: UP while the FIX session is logged on, UNKNOWN otherwise. Never
 * DOWN: a venue that is away does not make this instance unhealthy (orders retry with backoff and end FAILED on the DLT
 * when it stays away), and a restart of the processor would not bring it back. UNKNOWN ranks below UP in Spring Boot's
 * aggregation, so the application stays UP; readiness does not include it.
 */
final class VenueHealthIndicator implements HealthIndicator {

    private final VenueSession session;

    VenueHealthIndicator(VenueSession session) {
        this.session = session;
    }

    @Override
    public Health health() {
        boolean loggedOn = session.connection().map(VenueConnection::isLoggedOn).orElse(false);
        return Health.status(loggedOn ? Status.UP : Status.UNKNOWN)
                .withDetail("session", session.settings().sessionName())
                .withDetail(
                        "venue",
                        session.settings().host() + ":" + session.settings().port())
                .withDetail("loggedOn", loggedOn)
                .build();
    }
}
