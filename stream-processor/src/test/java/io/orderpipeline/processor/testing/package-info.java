/**
 * A reusable harness for {@link io.orderpipeline.processor.topology.OrderTopology} under {@code TopologyTestDriver},
 * shipped in stream-processor's test-jar: {@link io.orderpipeline.processor.testing.OrderTopologyFixture}, a
 * {@link io.orderpipeline.processor.testing.ScriptedExchange} that answers directly and whose answers a test decides, a
 * {@link io.orderpipeline.processor.testing.ScriptedVenue} that only sends (like the venue over FIX) and answers with
 * the execution reports a test scripts (acknowledgements, fills, cancels, rejects, replaces), a
 * {@link io.orderpipeline.processor.testing.MutableClock} and {@link io.orderpipeline.processor.testing.OrderCommands}
 * test data (PLACE, CANCEL, AMEND).
 */
package io.orderpipeline.processor.testing;
