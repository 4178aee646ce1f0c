package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jgroups.Address;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.AuthHeader;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

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
 * And a third, since AUTH's token covers the sender's address but not the payload, where ASYM_ENCRYPT carries the
 * joiner's public key: someone who captured a valid JOIN_REQ could send it again with its own public key and read
 * the group key from the answer. So the public key a node sends (with JOIN_REQ and MERGE_RSP) travels with a
 * {@link KeyBinding} header that ties the key to the sender's AUTH credential ({@link KeyBinder}): with a shared
 * secret {@code HMAC-SHA256(secret, "quire-asym-key-1" | sender's address | public key)}, with certificates a
 * signature over the address and public key by the sender's certificate key, checked with the certificate of the
 * message's (already verified) AUTH token. Such a message whose key is not bound is dropped before ASYM_ENCRYPT
 * stores the key, so no group key is encrypted for it.
 *
 * <p>A message's token is checked here and again in AUTH: for the shared secret a repeated HMAC; a
 * {@link CertificateToken} remembers which local token admitted it, so the second check (and its replay memory)
 * does not refuse the same header.
 */
final class GatedAsymEncrypt extends ASYM_ENCRYPT {
  /** The most keys one membership message may carry: more members than any Quire cluster has. */
  static final int MAX_FORWARDED_KEYS = 4_096;
  /** The longest encoded public key read from a membership message (an RSA-16384 key is about 2 KB). */
  static final int MAX_KEY_BYTES = 16_384;
  /** The GMS messages AUTH authenticates when {@code authenticate_coord} is on. */
  private static final List<Byte> AUTHENTICATED = List.of(GMS.GmsHeader.JOIN_REQ,
      GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER, GMS.GmsHeader.MERGE_REQ, GMS.GmsHeader.JOIN_RSP,
      GMS.GmsHeader.MERGE_RSP, GMS.GmsHeader.INSTALL_MERGE_VIEW);

  /** The messages that carry their sender's own public key. */
  private static final List<Byte> CARRY_OWN_KEY = List.of(GMS.GmsHeader.JOIN_REQ,
      GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER, GMS.GmsHeader.MERGE_RSP);
  /** {@link KeyBinding}'s magic id and the header id it is stored under (above JGroups' reserved range). */
  static final short BINDING_ID = 1107;
  /** Room for an RSA-4096 signature; an HMAC takes 32 bytes. */
  static final int MAX_BINDING_BYTES = 1_024;
  private static final byte[] BINDING_CONTEXT = "quire-asym-key-1".getBytes(StandardCharsets.UTF_8);

  static {
    ClassConfigurator.addIfAbsent(BINDING_ID, KeyBinding.class);
  }

  private final AUTH auth;
  private final KeyBinder binder;

  /** Gated by AUTH with a shared secret: public keys are bound by an HMAC with the secret. */
  GatedAsymEncrypt(AUTH auth, SecretKey secret) {
    this(auth, new SecretBinder(requireNonNull(secret, "secret")));
  }

  /** Gated by AUTH with {@code binder}: how a public key is tied to the AUTH credential of its sender. */
  GatedAsymEncrypt(AUTH auth, KeyBinder binder) {
    this.auth = requireNonNull(auth, "auth");
    this.binder = requireNonNull(binder, "binder");
    setId(ClassConfigurator.getProtocolId(ASYM_ENCRYPT.class));
  }

  /**
   * Ties the public key a node sends to its AUTH credential, so that only the holder of that credential can have a
   * group key encrypted for a key of its choice.
   */
  interface KeyBinder {
    /** The binding this node sends with its own public key. */
    byte[] bind(Address owner, byte[] publicKey);

    /**
     * Whether {@code binding} binds {@code publicKey} to {@code owner}'s credential; {@code token} is the AUTH token
     * of the message, already authenticated by the gate.
     */
    boolean verify(AuthToken token, Address owner, byte[] publicKey, byte[] binding);
  }

  /** {@code HMAC-SHA256(secret, "quire-asym-key-1" | owner's address | public key)}. */
  record SecretBinder(SecretKey secret) implements KeyBinder {
    @Override
    public byte[] bind(Address owner, byte[] publicKey) {
      try {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(secret);
        hmac.update(BINDING_CONTEXT);
        hmac.update(SharedSecretToken.addressBytes(owner));
        return hmac.doFinal(publicKey);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }

    @Override
    public boolean verify(AuthToken token, Address owner, byte[] publicKey, byte[] binding) {
      return MessageDigest.isEqual(binding, bind(owner, publicKey));
    }

    @Override
    public String toString() {
      return "SecretBinder"; // never the secret
    }
  }

  /** A signature with the node's certificate key, checked with the certificate its AUTH token carried. */
  record CertificateBinder(CertificateToken token) implements KeyBinder {
    @Override
    public byte[] bind(Address owner, byte[] publicKey) {
      return token.bind(owner, publicKey);
    }

    @Override
    public boolean verify(AuthToken received, Address owner, byte[] publicKey, byte[] binding) {
      return token.verifyBinding(received, owner, publicKey, binding);
    }
  }

  @Override
  public Object down(Message message) {
    GMS.GmsHeader gms = message.getHeader(GMS_ID);
    if (gms != null && CARRY_OWN_KEY.contains(gms.getType()) && keyPair() != null) {
      message.putHeader(BINDING_ID, new KeyBinding(bind(local_addr, keyPair().getPublic().getEncoded())));
    }
    return super.down(message);
  }

  @Override
  public Object up(Message message) {
    if (unvouched(message)) {
      return up_prot.up(message);
    }
    String unbound = carriesKeys(message)
        ? unbound(message, message.getSrc(), message.getArray(), message.getOffset(), message.getLength()) : null;
    if (unbound != null) {
      log.warn("%s: dropped a %s from %s whose public keys are not bound to its credential (a replayed or forged "
          + "request?): %s", local_addr, GMS.GmsHeader.type2String(message.<GMS.GmsHeader>getHeader(GMS_ID).getType()),
          message.getSrc(), unbound);
      return null;
    }
    return super.up(message);
  }

  /** Whether {@code message} is a JOIN_REQ or MERGE_RSP with its sender's public key in front of its payload. */
  private boolean carriesKeys(Message message) {
    GMS.GmsHeader gms = message.getHeader(GMS_ID);
    return gms != null && CARRY_OWN_KEY.contains(gms.getType()) && message.getHeader(id) instanceof EncryptHeader h
        && h.type() == EncryptHeader.INSTALL_KEYS;
  }

  @Override
  public void up(MessageBatch batch) {
    for (Iterator<Message> it = batch.iterator(); it.hasNext();) {
      Message message = it.next();
      GMS.GmsHeader gms = message.getHeader(GMS_ID);
      if (gms != null && AUTHENTICATED.contains(gms.getType())) {
        it.remove();
        up(message); // one by one, with the gates
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

  /**
   * Whether the keys in front of {@code buffer} (ASYM_ENCRYPT 5.4's format: a count, then of each the address, the
   * public key's length and bytes, and the length of an encrypted group key, 0 here; what follows is not read) hold exactly one key of the sender, bound to its credential by the message's
   * binding, and otherwise only keys this node already holds (its own, or one it keeps for that address). A
   * coordinator's MERGE_RSP also forwards the keys it keeps for others, this node's own among them after a partition
   * (it kept the key from before the cut); refusing those kept every later merge from completing. Nothing this
   * node does not already hold is ever accepted from a message, so a replayed request with a swapped key still gets
   * no group key.
   */
  boolean boundKeys(Message message, Address sender, byte[] buffer, int offset, int length) {
    return unbound(message, sender, buffer, offset, length) == null;
  }

  /** Why the keys in front of {@code buffer} are refused (see {@link #boundKeys}), or null when they are accepted. */
  String unbound(Message message, Address sender, byte[] buffer, int offset, int length) {
    KeyBinding binding = message.getHeader(BINDING_ID);
    if (binding == null || sender == null || !sender.equals(message.getSrc())) {
      return "no key binding";
    }
    try {
      ByteArrayDataInputStream in = new ByteArrayDataInputStream(buffer, offset, length);
      int count = in.readInt();
      if (count < 1 || count > MAX_FORWARDED_KEYS) {
        return count + " keys";
      }
      boolean sendersOwn = false;
      for (int i = 0; i < count; i++) {
        Address owner = Util.readAddress(in);
        int keyLength = in.readInt();
        if (owner == null || keyLength < 1 || keyLength > MAX_KEY_BYTES) {
          return "a key entry of " + keyLength + " bytes for " + owner;
        }
        byte[] key = new byte[keyLength];
        in.readFully(key);
        // Each entry ends with the length of a group key encrypted for its owner: always 0 in a JOIN_REQ or MERGE_RSP
        // (ASYM_ENCRYPT adds group keys only to answers a coordinator sends), so one here is refused, not installed.
        int groupKeyLength = in.readInt();
        if (groupKeyLength != 0) {
          return "a group key of " + groupKeyLength + " bytes for " + owner;
        }
        if (owner.equals(sender)) {
          if (sendersOwn) {
            return "more than one key of the sender";
          }
          AuthHeader header = message.getHeader(auth.getId());
          if (!binder.verify(header != null ? header.getToken() : null, owner, key, binding.mac)) {
            return "the sender's key does not match its binding";
          }
          sendersOwn = true;
        } else if (!alreadyHeld(owner, key)) {
          return "a key for " + owner + " that this node does not hold"
              + (owner.equals(local_addr) ? " (not its own current key)" : pub_map.containsKey(owner)
                  ? " (it holds another one)" : " (it holds none)");
        }
      }
      return sendersOwn ? null : "no key of the sender";
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      return "unreadable keys (" + e + ")";
    }
  }

  /** Whether {@code key} is this node's own public key or the one it already keeps for {@code owner}. */
  private boolean alreadyHeld(Address owner, byte[] key) {
    if (owner.equals(local_addr) && keyPair() != null) {
      return MessageDigest.isEqual(key, keyPair().getPublic().getEncoded());
    }
    byte[] kept = pub_map.get(owner);
    return kept != null && MessageDigest.isEqual(key, kept);
  }

  byte[] bind(Address owner, byte[] publicKey) {
    return binder.bind(owner, publicKey);
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

  /** A public key's binding to its sender's AUTH credential: an HMAC with the secret, or a certificate signature. */
  public static final class KeyBinding extends Header {
    private byte[] mac = new byte[0];

    /** For JGroups, which creates headers by their magic id. */
    public KeyBinding() {}

    KeyBinding(byte[] mac) {
      this.mac = mac;
    }

    @Override
    public short getMagicId() {
      return BINDING_ID;
    }

    @Override
    public Supplier<? extends Header> create() {
      return KeyBinding::new;
    }

    @Override
    public int serializedSize() {
      return Integer.BYTES + mac.length;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
      out.writeInt(mac.length);
      out.write(mac);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
      int length = in.readInt();
      if (length < 0 || length > MAX_BINDING_BYTES) {
        throw new IOException("key binding of " + length + " bytes");
      }
      mac = new byte[length];
      in.readFully(mac);
    }

    @Override
    public String toString() {
      return "KeyBinding";
    }
  }
}
