/** Reference data seeded into the compacted {@code instruments} topic. */
package io.orderpipeline.processor.instrument;
