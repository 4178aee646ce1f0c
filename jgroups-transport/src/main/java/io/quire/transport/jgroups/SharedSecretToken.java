package io.quire.transport.jgroups;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.UUID;

/**
 * JGroups AUTH token for a secret that every node of a cluster shares: a node proves it knows the secret without
 * sending it. JGroups 5 ships no shared-secret token (its {@code SimpleToken} and {@code MD5Token}, which sent the
 * secret or its unsalted hash, were removed), so Quire brings this one.
 *
 * <p>On the wire (in the AUTH header of a JOIN or MERGE request): a format byte, 16 random bytes (a fresh nonce per
 * serialization) and {@code HMAC-SHA256(secret, "quire-auth-1" | nonce | sender's address)}. The coordinator
 * recomputes the HMAC with its own secret and the address the message came from, and compares in constant time. So
 * an eavesdropper learns neither the secret nor anything it could present from another address; replaying a
 * captured request from the same address is prevented by encrypting the cluster (with SYM_ENCRYPT the join request
 * itself is encrypted).
 *
 * <p>JGroups creates the receiving side's instance by reflection (public no-argument constructor); it has no secret
 * and only carries what was read. The sending and checking instance is the one {@link ClusterSecurity} gives AUTH.
 */
public final class SharedSecretToken extends AuthToken {
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 16;
  private static final int MAC_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] CONTEXT = "quire-auth-1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  // Set on the local instance only; never serialized.
  private final SecretKey secret;
  // Set on instances read from the wire only.
  private byte format;
  private byte[] nonce;
  private byte[] mac;

  /** For JGroups, which reads received tokens into fresh instances; such an instance cannot authenticate anyone. */
  public SharedSecretToken() {
    this.secret = null;
  }

  SharedSecretToken(SecretKey secret) {
    this.secret = secret;
  }

  @Override
  public String getName() {
    return SharedSecretToken.class.getName();
  }

  @Override
  public int size() {
    return 1 + NONCE_BYTES + MAC_BYTES;
  }

  @Override
  public boolean authenticate(AuthToken token, Message message) {
    if (secret == null || !(token instanceof SharedSecretToken received)) {
      return false;
    }
    Address from = message.getSrc();
    if (from == null) {
      return false;
    }
    if (received.secret != null) {
      // Not read from the wire: a request this node sent itself, delivered by loopback without serialization (a
      // merge leader sends MERGE_REQ to every coordinator, itself included). Only an instance made in this JVM with
      // the secret has one, so a peer cannot forge this case.
      return received == this && from.equals(auth != null ? auth.getAddress() : null);
    }
    if (received.format != FORMAT || received.nonce == null || received.mac == null) {
      return false;
    }
    return MessageDigest.isEqual(mac(received.nonce, from), received.mac);
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    if (secret == null) {
      throw new IOException("a token read from the wire cannot be sent");
    }
    Address self = auth != null ? auth.getAddress() : null;
    if (self == null) {
      throw new IOException("the local address is not known yet");
    }
    byte[] fresh = new byte[NONCE_BYTES];
    RANDOM.nextBytes(fresh);
    out.writeByte(FORMAT);
    out.write(fresh);
    out.write(mac(fresh, self));
  }

  @Override
  public void readFrom(DataInput in) throws IOException {
    format = in.readByte();
    nonce = new byte[NONCE_BYTES];
    in.readFully(nonce);
    mac = new byte[MAC_BYTES];
    in.readFully(mac);
  }

  private byte[] mac(byte[] withNonce, Address address) {
    try {
      Mac hmac = Mac.getInstance(ALGORITHM);
      hmac.init(secret);
      hmac.update(CONTEXT);
      hmac.update(withNonce);
      hmac.update(addressBytes(address));
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  static byte[] addressBytes(Address address) {
    if (address instanceof UUID uuid) {
      return ByteBuffer.allocate(2 * Long.BYTES).putLong(uuid.getMostSignificantBits())
          .putLong(uuid.getLeastSignificantBits()).array();
    }
    return address.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SharedSecretToken"; // never the secret, nonce or MAC
  }
}
