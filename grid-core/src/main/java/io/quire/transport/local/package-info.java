/**
 * The in-JVM transport: a {@link io.quire.transport.local.LocalNetwork} of
 * {@link io.quire.transport.local.LocalTransport}s, for tests and single-JVM clusters.
 *
 * <p>Implementation notes. The network owns membership (one lock; views installed in one order everywhere) and
 * routing; a {@code Medium} owns delivery. The threaded medium gives each transport a single-thread inbox; the
 * simulated medium puts every frame, view and timer on one {@code EventQueue} ordered by (virtual time, sequence) and
 * draws every random choice from the simulation's one seeded generator, which is why a seed replays a run. Requests
 * are frames with a correlation id ({@code Envelope}); {@code io.quire.spi.transport.PendingRequests} completes each future once, whoever
 * gets there first (response, duplicate response, timeout, view change, close).
 */
package io.quire.transport.local;
