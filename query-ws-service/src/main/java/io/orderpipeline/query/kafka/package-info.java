/** Topic names, the registry URL and the serdes, configured once with the keys every service shares. */
package io.orderpipeline.query.kafka;
