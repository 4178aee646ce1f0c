package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
  @TempDir
  Path dir;

  @Test
  void freePorts_areDistinct_bindable_andBelowTheEphemeralRangeWithRoomForFailureDetection() throws IOException {
    int[] ephemeral = LoopbackPorts.ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

    List<Integer> ports = LoopbackPorts.free(5);

    assertThat(ports).hasSize(5).doesNotHaveDuplicates()
        .allSatisfy(p -> assertThat(p).isBetween(LoopbackPorts.LOWEST, ephemeral[0] - LoopbackPorts.HEADROOM - 1));
    for (int port : ports) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    }
  }

  @Test
  void aPortInUse_isSkipped() throws IOException {
    int[] range = {LoopbackPorts.LOWEST + LoopbackPorts.HEADROOM + 3, 60_999}; // three candidates only
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPorts.LOWEST + 1));
      assertThat(LoopbackPorts.free(2, range, new SplittableRandom(7)))
          .containsExactlyInAnyOrder(LoopbackPorts.LOWEST, LoopbackPorts.LOWEST + 2);
      assertThatThrownBy(() -> LoopbackPorts.free(3, range, new SplittableRandom(7)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("only 2 of 3 ports free");
    }
  }

  @Test
  void anEphemeralRangeLeavingNoRoom_isAClearError() {
    assertThatThrownBy(() -> LoopbackPorts.free(1, new int[] {LoopbackPorts.LOWEST, 60_999}, new SplittableRandom(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ephemeral range 10000-60999");
    assertThatThrownBy(() -> LoopbackPorts.free(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ephemeralRange_isReadFromTheSystemFile_orTheLinuxDefault() throws IOException {
    Path file = dir.resolve("ip_local_port_range");
    Files.writeString(file, "40000\t50000\n");
    assertThat(LoopbackPorts.ephemeralRange(file)).containsExactly(40_000, 50_000);

    Files.writeString(file, "garbage");
    assertThat(LoopbackPorts.ephemeralRange(file)).containsExactly(32_768, 60_999);
    Files.writeString(file, "50000 40000");
    assertThat(LoopbackPorts.ephemeralRange(file)).containsExactly(32_768, 60_999);
    assertThat(LoopbackPorts.ephemeralRange(dir.resolve("missing"))).containsExactly(32_768, 60_999);
  }
}
