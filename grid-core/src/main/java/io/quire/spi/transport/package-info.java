/**
 * The Transport SPI: how grid-core talks to other nodes, as opaque frames and membership views. See
 * {@link io.quire.spi.transport.Transport} for the guarantees every implementation gives.
 */
package io.quire.spi.transport;
