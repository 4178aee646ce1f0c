package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.UUID;
import org.jgroups.util.Util;
import org.junit.jupiter.api.Test;

/** How JGroups addresses and views become grid NodeIds and views. */
class MembershipTest {
  private static final NodeId BIG = new NodeId(-2); // 0xff...fe: sorts last, unsigned
  private static final NodeId SMALL = new NodeId(5);
  private static final NodeId MIDDLE = new NodeId(0x7000_0000_0000_0000L);

  @Test
  void view_listsNodeIdsSortedUnsigned_withJGroupsIdPlusOne() {
    Address big = Membership.addressFor(BIG);
    Address small = Membership.addressFor(SMALL);
    Address middle = Membership.addressFor(MIDDLE);

    Membership membership = Membership.of(View.create(big, 0, big, small, middle));

    assertThat(membership.view().viewId()).isEqualTo(1);
    assertThat(membership.view().members()).containsExactly(SMALL, MIDDLE, BIG);
    assertThat(membership.addressOf(BIG)).isEqualTo(big);
    assertThat(membership.nodeOf(small)).isEqualTo(SMALL);
    assertThat(membership.strangers()).isEmpty();
    assertThat(membership.superseded()).isEmpty();
  }

  @Test
  void memberWithoutANodeId_isLeftOutAsAStranger() {
    Address node = Membership.addressFor(SMALL);
    Address plain = UUID.randomUUID();
    Address foreignKey = ExtendedUUID.randomUUID().put("site", "x".getBytes(StandardCharsets.US_ASCII));

    Membership membership = Membership.of(View.create(plain, 4, plain, node, foreignKey));

    assertThat(membership.view().viewId()).isEqualTo(5);
    assertThat(membership.view().members()).containsExactly(SMALL);
    assertThat(membership.strangers()).containsExactly(plain, foreignKey);
    assertThat(membership.nodeOf(plain)).isNull();
  }

  @Test
  void twoAddressesWithOneNodeId_theLaterJoinerWins() {
    Address old = Membership.addressFor(SMALL);
    Address other = Membership.addressFor(BIG);
    Address restarted = Membership.addressFor(SMALL);

    Membership membership = Membership.of(View.create(old, 8, old, other, restarted));

    assertThat(membership.view().members()).containsExactly(SMALL, BIG);
    assertThat(membership.addressOf(SMALL)).isEqualTo(restarted);
    assertThat(membership.nodeOf(old)).isNull();
    assertThat(membership.superseded()).containsExactly(old);
  }

  @Test
  void malformedNodeIdValues_areNotNodeIds() {
    for (String value : new String[] {"", "xyz", "12345678901234567", "-1", "+1", " 1"}) {
      Address address = ExtendedUUID.randomUUID().put(Membership.NODE_KEY, value.getBytes(StandardCharsets.UTF_8));
      assertThat(Membership.nodeIdIn(address)).as("'%s'", value).isNull();
    }
    assertThat(Membership.nodeIdIn(ExtendedUUID.randomUUID().put(Membership.NODE_KEY, new byte[] {(byte) 0xff})))
        .isNull();
    assertThat(Membership.nodeIdIn(null)).isNull();
  }

  @Test
  void nodeId_survivesTheWire_inAnAddressAndInAView() throws Exception {
    Address a = Membership.addressFor(BIG);
    Address b = Membership.addressFor(SMALL);
    View view = View.create(a, 3, a, b);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Util.writeAddress(a, out);
      view.writeTo(out);
    }
    Address readAddress;
    View readView = new View();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      readAddress = Util.readAddress(in);
      readView.readFrom(in);
    }

    assertThat(Membership.nodeIdIn(readAddress)).isEqualTo(BIG);
    assertThat(Membership.of(readView)).isEqualTo(Membership.of(view));
  }

  @Test
  void groups_rideInAddresses_andSurviveTheWire() throws Exception {
    Address a = Membership.addressFor(BIG, "site-a/rack-1");
    Address b = Membership.addressFor(SMALL, "");
    View view = View.create(a, 3, a, b);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      view.writeTo(out);
    }
    View readView = new View();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      readView.readFrom(in);
    }

    Membership membership = Membership.of(readView);

    assertThat(membership.groups()).containsExactlyEntriesOf(java.util.Map.of(BIG, "site-a/rack-1"));
    assertThat(membership.view().members()).containsExactly(SMALL, BIG);
  }

  @Test
  void malformedGroups_readAsNone_andTheNodeStaysAMember() {
    byte[][] bad = {"site a".getBytes(StandardCharsets.US_ASCII), "a//b".getBytes(StandardCharsets.US_ASCII),
        "/a".getBytes(StandardCharsets.US_ASCII), new byte[] {'a', (byte) 0xe9}, new byte[0]};
    for (byte[] group : bad) {
      ExtendedUUID address = Membership.addressFor(SMALL).put(Membership.GROUP_KEY, group);

      Membership membership = Membership.of(View.create(address, 1, address));

      assertThat(Membership.groupIn(address)).isEmpty();
      assertThat(membership.groups()).isEmpty();
      assertThat(membership.view().members()).containsExactly(SMALL);
    }
  }

  @Test
  void aGroupThatIsNotAPath_isRefusedWhenTheAddressIsMade() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> Membership.addressFor(SMALL, "site a"))
        .withMessageContaining("'site a'");
  }

  @Test
  void aPlainUuidWithTheSameBits_findsTheMember() {
    ExtendedUUID address = Membership.addressFor(SMALL);
    Address plain = new UUID(address.getMostSignificantBits(), address.getLeastSignificantBits());

    Membership membership = Membership.of(View.create(address, 1, address));

    assertThat(membership.nodeOf(plain)).isEqualTo(SMALL);
  }

  @Test
  void noView_isTheEmptyView() {
    assertThat(Membership.NONE.view()).isEqualTo(io.quire.spi.transport.View.empty());
    assertThat(Membership.NONE.nodeOf(UUID.randomUUID())).isNull();
    assertThat(Membership.NONE.addressOf(SMALL)).isNull();
    assertThat(List.of(Membership.NONE.view().viewId())).containsExactly(0L);
  }
}
