/** Instrument-level validation and the machine-readable rejection reasons. */
package io.orderpipeline.processor.validation;
