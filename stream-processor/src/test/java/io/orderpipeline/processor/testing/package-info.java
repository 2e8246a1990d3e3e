/**
 * A reusable harness for {@link io.orderpipeline.processor.topology.OrderTopology} under {@code TopologyTestDriver},
 * shipped in stream-processor's test-jar: {@link io.orderpipeline.processor.testing.OrderTopologyFixture}, a
 * {@link io.orderpipeline.processor.testing.ScriptedExchange} whose answers a test decides, a
 * {@link io.orderpipeline.processor.testing.MutableClock} and {@link io.orderpipeline.processor.testing.OrderCommands}
 * test data.
 */
package io.orderpipeline.processor.testing;
