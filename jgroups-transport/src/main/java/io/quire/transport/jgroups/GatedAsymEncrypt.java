package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.AuthHeader;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.MessageBatch;

/**
 * JGroups' ASYM_ENCRYPT that hands out the group key only to nodes AUTH admits. Same wire format and protocol id as
 * ASYM_ENCRYPT; {@link ClusterSecurity} puts it directly below NAKACK2, with AUTH (authenticating coordinators too)
 * above it, below GMS.
 *
 * <p>Implementation notes. ASYM_ENCRYPT (5.4, {@code use_external_key_exchange=false}) lets the membership messages
 * through unencrypted, since it has no key before the join: a joiner attaches its public key to its JOIN_REQ, the
 * coordinator stores it on the way up, and attaches the group key, encrypted with that public key, to every JOIN_RSP
 * it sends down (and to views and merge views, for every public key it stores). AUTH sits above it, so on its own it
 * would store an intruder's public key before AUTH refuses the join, and attach the group key to AUTH's refusal,
 * itself a JOIN_RSP. Two gates close that:
 *
 * <ul>
 *   <li>Up: a JOIN_REQ, MERGE_REQ, JOIN_RSP, MERGE_RSP or INSTALL_MERGE_VIEW whose AUTH header does not verify goes
 *       straight to AUTH (which refuses or drops it) without passing through ASYM_ENCRYPT, so no public key of an
 *       unauthenticated node is ever stored, and no key it sends is installed.
 *   <li>Down: a JOIN_RSP without an AUTH header is sent without keys. With {@code authenticate_coord} AUTH puts a
 *       header on every JOIN_RSP that admits a node; the ones without are AUTH's refusals.
 * </ul>
 *
 * The token is stateless (an HMAC over a nonce and the sender's address), so checking it here and again in AUTH is
 * only a repeated computation.
 */
final class GatedAsymEncrypt extends ASYM_ENCRYPT {
  /** The GMS messages AUTH authenticates when {@code authenticate_coord} is on. */
  private static final List<Byte> AUTHENTICATED = List.of(GMS.GmsHeader.JOIN_REQ,
      GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER, GMS.GmsHeader.MERGE_REQ, GMS.GmsHeader.JOIN_RSP,
      GMS.GmsHeader.MERGE_RSP, GMS.GmsHeader.INSTALL_MERGE_VIEW);

  private final AUTH auth;

  GatedAsymEncrypt(AUTH auth) {
    this.auth = requireNonNull(auth, "auth");
    setId(ClassConfigurator.getProtocolId(ASYM_ENCRYPT.class));
  }

  @Override
  public Object up(Message message) {
    return unvouched(message) ? up_prot.up(message) : super.up(message);
  }

  @Override
  public void up(MessageBatch batch) {
    for (Iterator<Message> it = batch.iterator(); it.hasNext();) {
      Message message = it.next();
      if (unvouched(message)) {
        it.remove();
        up_prot.up(message);
      }
    }
    if (!batch.isEmpty()) {
      super.up(batch);
    }
  }

  @Override
  protected Processing skipDownMessage(Message message) {
    GMS.GmsHeader gms = message.getHeader(GMS_ID);
    if (gms != null && gms.getType() == GMS.GmsHeader.JOIN_RSP && message.getHeader(auth.getId()) == null) {
      return Processing.SKIP; // AUTH's refusal: no keys
    }
    return super.skipDownMessage(message);
  }

  /** The nodes whose public keys this one keeps (and would send the group key to). */
  Set<Address> publicKeyHolders() {
    return Set.copyOf(pub_map.keySet());
  }

  /** Whether {@code message} is a membership message that AUTH would not accept. */
  private boolean unvouched(Message message) {
    GMS.GmsHeader gms = message.getHeader(GMS_ID);
    if (gms == null || !AUTHENTICATED.contains(gms.getType())) {
      return false;
    }
    AuthHeader header = message.getHeader(auth.getId());
    return header == null || header.getToken() == null
        || !auth.getAuthToken().authenticate(header.getToken(), message);
  }
}
