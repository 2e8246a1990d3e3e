package io.orderpipeline.processor.config;

import io.orderpipeline.processor.validation.ValidationRules;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Instrument-independent validation under {@code orders.validation}; tick, lot and price band come from the {@code
 * instruments} topic.
 *
 * @param maxQuantity largest quantity of one order
 */
@Validated
@ConfigurationProperties("orders.validation")
public record ValidationProperties(
        @Min(1) @DefaultValue("1000000") long maxQuantity) {

    ValidationRules rules() {
        return new ValidationRules(maxQuantity);
    }
}
