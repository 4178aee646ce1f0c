/**
 * grid-core's Transport SPI over JGroups: {@link io.quire.transport.jgroups.JGroupsTransport}, made by a
 * {@link io.quire.transport.jgroups.JGroupsTransportFactory} from one of the shipped stacks
 * ({@code quire-tcp-loopback.xml}, {@code quire-tcp.xml}, {@code quire-udp.xml}) or a stack of one's own. JGroups is
 * used here and nowhere else in Quire. {@link io.quire.transport.jgroups.ClusterSecurity} adds authentication (AUTH with
 * a shared-secret HMAC token) and encryption (SYM_ENCRYPT with a keystore's AES key) to any of the stacks.
 *
 * <p>Implementation notes. A node's NodeId rides in its JGroups address ({@code Membership}); every frame is a
 * JGroups unicast carrying a small versioned envelope ({@code FrameCodec}) that is decoded strictly on the JGroups
 * thread that received it; the inbox ({@code Inbox}) delivers views and frames to the receiver one at a time and
 * in order (a frame on the JGroups thread that received it when no other is delivering, else on the inbox's thread), holding back a frame until the view its sender was in has been delivered; requests are correlated by our
 * own ids ({@code io.quire.spi.transport.PendingRequests}, shared with the in-JVM transport) and time out on the grid's runtime.
 */
package io.quire.transport.jgroups;
