package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.protocols.AUTH;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.UUID;
import org.jgroups.util.Util;
import org.junit.jupiter.api.Test;

/**
 * The key binding of {@link GatedAsymEncrypt}: a public key that came with a JOIN_REQ is stored only if it is its
 * sender's own and bound to the shared secret, so a captured join request sent again with another public key gets
 * no group key. (The wiring is covered by AsymmetricClusterIT: legitimate joiners get the key only through it.)
 */
class GatedAsymEncryptTest {
  private static final SecretKey SECRET = key("a-shared-secret-of-32-characters");
  private final GatedAsymEncrypt gate = new GatedAsymEncrypt(new AUTH(), SECRET);
  private final Address joiner = UUID.randomUUID();
  private final byte[] joinersKey = "the joiner's public key".getBytes(StandardCharsets.UTF_8);
  private final byte[] thiefsKey = "the thief's public key, swapped in".getBytes(StandardCharsets.UTF_8);

  private static SecretKey key(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  private static byte[] keys(Address owner, byte[]... publicKeys) throws Exception {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
    out.writeInt(publicKeys.length);
    for (byte[] publicKey : publicKeys) {
      Util.writeAddress(owner, out);
      out.writeInt(publicKey.length);
      out.write(publicKey);
      out.writeInt(0); // no group key: ASYM_ENCRYPT's format for a JOIN_REQ or MERGE_RSP
    }
    return out.getBuffer().getArray();
  }

  private Message joinRequest(Address from, byte[] mac) {
    Message message = new EmptyMessage().setSrc(from);
    if (mac != null) {
      message.putHeader(GatedAsymEncrypt.BINDING_ID, new GatedAsymEncrypt.KeyBinding(mac));
    }
    return message;
  }

  private boolean stored(Message message, byte[] keys) {
    return gate.boundKeys(message, joiner, keys, 0, keys.length);
  }

  @Test
  void theSendersOwnBoundKey_isStored() throws Exception {
    assertThat(stored(joinRequest(joiner, gate.bind(joiner, joinersKey)), keys(joiner, joinersKey))).isTrue();
  }

  @Test
  void aReplayedRequestWithASwappedKey_isNotStored() throws Exception {
    Message replayed = joinRequest(joiner, gate.bind(joiner, joinersKey));

    assertThat(stored(replayed, keys(joiner, thiefsKey))).isFalse();
  }

  @Test
  void aBindingForAnotherAddress_orWithAnotherSecret_orNone_isNotAccepted() throws Exception {
    Address other = UUID.randomUUID();
    GatedAsymEncrypt outsider = new GatedAsymEncrypt(new AUTH(), key("another-secret-of-32-characters!"));

    assertThat(stored(joinRequest(joiner, gate.bind(other, joinersKey)), keys(joiner, joinersKey))).isFalse();
    assertThat(stored(joinRequest(joiner, outsider.bind(joiner, joinersKey)), keys(joiner, joinersKey))).isFalse();
    assertThat(stored(joinRequest(joiner, null), keys(joiner, joinersKey))).isFalse();
  }

  @Test
  void keysOfOthers_orMoreThanOne_orFromAnotherSource_areNotAccepted() throws Exception {
    Address other = UUID.randomUUID();
    byte[] mac = gate.bind(joiner, joinersKey);

    assertThat(stored(joinRequest(joiner, mac), keys(other, joinersKey))).isFalse();
    assertThat(stored(joinRequest(joiner, mac), keys(joiner, joinersKey, joinersKey))).isFalse();
    assertThat(stored(joinRequest(other, mac), keys(joiner, joinersKey))).isFalse();
    assertThat(stored(joinRequest(joiner, mac), new byte[] {0, 0})).isFalse();
  }

  private static byte[] keyList(Object... ownersAndKeys) throws Exception {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
    out.writeInt(ownersAndKeys.length / 2);
    for (int i = 0; i < ownersAndKeys.length; i += 2) {
      Util.writeAddress((Address) ownersAndKeys[i], out);
      byte[] publicKey = (byte[]) ownersAndKeys[i + 1];
      out.writeInt(publicKey.length);
      out.write(publicKey);
      out.writeInt(0);
    }
    return out.getBuffer().getArray();
  }

  /**
   * A coordinator's MERGE_RSP after a partition forwards the keys it kept, the receiver's own among them: accepted when
   * the sender's own key is bound and every other key is one the receiver already holds, never a key it does not.
   */
  @Test
  void aMergeResponseForwardingThisNodesOwnKey_isAccepted_butNeverAKeyThisNodeDoesNotHold() throws Exception {
    Address self = UUID.randomUUID();
    gate.setAddress(self);
    gate.init(); // makes this node's key pair
    byte[] ownKey = gate.keyPair().getPublic().getEncoded();
    byte[] mac = gate.bind(joiner, joinersKey);

    assertThat(stored(joinRequest(joiner, mac), keyList(joiner, joinersKey, self, ownKey))).isTrue();
    assertThat(stored(joinRequest(joiner, mac), keyList(self, ownKey, joiner, joinersKey))).isTrue();
    assertThat(stored(joinRequest(joiner, mac), keyList(joiner, joinersKey, self, thiefsKey))).isFalse();
    assertThat(stored(joinRequest(joiner, mac), keyList(joiner, joinersKey, UUID.randomUUID(), thiefsKey))).isFalse();
    assertThat(stored(joinRequest(joiner, mac), keyList(self, ownKey))).as("without the sender's own key").isFalse();
  }

  /**
   * The keys as ASYM_ENCRYPT itself writes them into a MERGE_RSP (its {@code addKeysToMessage}): a coordinator that
   * kept another member's key sends two entries, each ending with a group-key length, and the second must be read
   * at the right place. (The parser once skipped that length, so every such merge was refused.)
   */
  @Test
  void keysWrittenByAsymEncryptItself_forTwoMembers_areParsed() throws Exception {
    Address self = UUID.randomUUID();
    gate.setAddress(self);
    gate.init();
    byte[] ownKey = gate.keyPair().getPublic().getEncoded();
    Writer coordinator = new Writer();
    coordinator.keep(joiner, joinersKey);
    coordinator.keep(self, ownKey);
    byte[] keys = coordinator.keysOfAMergeResponse();

    assertThat(stored(joinRequest(joiner, gate.bind(joiner, joinersKey)), keys)).isTrue();
  }

  @Test
  void aGroupKeyInAJoinOrMergeMessage_isRefused() throws Exception {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
    out.writeInt(1);
    Util.writeAddress(joiner, out);
    out.writeInt(joinersKey.length);
    out.write(joinersKey);
    out.writeInt(3);
    out.write(new byte[] {1, 2, 3});
    byte[] keys = out.getBuffer().getArray();

    assertThat(stored(joinRequest(joiner, gate.bind(joiner, joinersKey)), keys)).isFalse();
  }

  /** ASYM_ENCRYPT's own serialisation of the public keys it keeps, as a coordinator adds them to a MERGE_RSP. */
  private static final class Writer extends org.jgroups.protocols.ASYM_ENCRYPT {
    void keep(Address member, byte[] publicKey) {
      pub_map.put(member, publicKey);
    }

    byte[] keysOfAMergeResponse() throws Exception {
      ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
      serializeKeys(out, false, null);
      return out.getBuffer().getArray();
    }
  }
}
