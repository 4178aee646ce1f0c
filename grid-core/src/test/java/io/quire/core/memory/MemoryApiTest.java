package io.quire.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryApiTest {
  @TempDir
  Path dir;

  private GridNode node;
  private Memory memory;

  @BeforeEach
  void open() {
    node = GridNode.open(GridConfig.defaults(dir));
    memory = node.memory();
  }

  @AfterEach
  void close() {
    node.close();
  }

  /* ---- allocate ---- */

  @Test
  void allocate_returnsDisjointRangesInTheDataRegion() {
    AddressRange a = memory.allocate(3, Durability.VOLATILE);
    AddressRange b = memory.allocate(1, Durability.PERSISTENT);
    assertThat(a.start().hi()).isNotZero();
    assertThat(b.start().compareTo(a.end())).isGreaterThanOrEqualTo(0);
  }

  @Test
  void allocate_zeroPages_throws() {
    assertThatThrownBy(() -> memory.allocate(0, Durability.VOLATILE)).isInstanceOf(IllegalArgumentException.class);
  }

  /* ---- read ---- */

  @ParameterizedTest
  @EnumSource(Durability.class)
  void read_neverWrittenPage_isVersionZeroAndReadsZeros(Durability durability) {
    AddressRange range = memory.allocate(2, durability);
    Page page = memory.read(range.page(1).plus(17));
    assertThat(page.version()).isZero();
    assertThat(page.length()).isZero();
    assertThat(page.byteAt(17)).isZero();
    assertThat(page.isVolatile()).isEqualTo(durability == Durability.VOLATILE);
  }

  @Test
  void read_nullAddress_throwsNullPointer() {
    assertThatThrownBy(() -> memory.read(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("address");
  }

  @Test
  void read_unallocatedAddress_throwsNamingTheAddress() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    GlobalAddress beyond = range.end().plus(4096 * 10);
    assertThatThrownBy(() -> memory.read(beyond)).isInstanceOf(UnallocatedAddressException.class)
        .hasMessageContaining(beyond.toString());
  }

  @Test
  void read_systemRegion_throwsEvenThoughTheRootPageExists() {
    assertThatThrownBy(() -> memory.read(GlobalAddress.ZERO)).isInstanceOf(UnallocatedAddressException.class)
        .hasMessageContaining("system region");
  }

  /* ---- write ---- */

  @ParameterizedTest
  @EnumSource(Durability.class)
  void write_thenRead_returnsTheBytesWithNextVersion(Durability durability) {
    AddressRange range = memory.allocate(1, durability);
    Page written = memory.write(range.start(), new byte[] {1, 2, 3});
    Page read = memory.read(range.start());
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.toByteArray()).containsExactly(1, 2, 3);
    assertThat(read.sameContentAs(written)).isTrue();
    assertThat(memory.write(range.start(), new byte[] {4}).version()).isEqualTo(2);
  }

  @Test
  void write_atOffset_keepsTheRestOfThePage() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    memory.write(range.start(), new byte[] {1, 1, 1, 1, 1});
    memory.write(range.start().plus(2), new byte[] {9});
    assertThat(memory.read(range.start()).toByteArray()).containsExactly(1, 1, 9, 1, 1);
    memory.write(range.start().plus(4094), new byte[] {7, 7});
    assertThat(memory.read(range.start()).byteAt(4095)).isEqualTo((byte) 7);
  }

  @Test
  void write_largerThanPage_throwsAndChangesNothing() {
    AddressRange range = memory.allocate(2, Durability.PERSISTENT);
    memory.write(range.start(), new byte[] {5});
    assertThatThrownBy(() -> memory.write(range.start(), new byte[4097]))
        .isInstanceOf(PageOverflowException.class).hasMessageContaining("4097 bytes");
    assertThatThrownBy(() -> memory.write(range.start().plus(4000), new byte[100]))
        .isInstanceOf(PageOverflowException.class).hasMessageContaining("offset 4000");
    assertThat(memory.read(range.start()).toByteArray()).containsExactly(5);
    assertThat(memory.read(range.page(1)).version()).isZero();
  }

  @Test
  void write_nullBytes_throwsNullPointer() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    assertThatThrownBy(() -> memory.write(range.start(), null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void write_callerChangesArrayAfterwards_pageKeepsWhatWasWritten() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    byte[] bytes = {1, 2};
    memory.write(range.start(), bytes);
    bytes[0] = 42;
    assertThat(memory.read(range.start()).byteAt(0)).isEqualTo((byte) 1);
  }

  /* ---- update ---- */

  @Test
  void update_appliesTheFunctionToTheFullCurrentPage() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    memory.write(range.start().plus(10), new byte[] {3});
    Page updated = memory.update(range.start(), current -> {
      assertThat(current).hasSize(4096);
      current[10]++;
      return current;
    });
    assertThat(updated.byteAt(10)).isEqualTo((byte) 4);
    assertThat(updated.version()).isEqualTo(2);
  }

  @Test
  void update_returningTooManyBytes_throwsAndChangesNothing() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    assertThatThrownBy(() -> memory.update(range.start(), current -> new byte[5000]))
        .isInstanceOf(PageOverflowException.class);
    assertThatThrownBy(() -> memory.update(range.start(), current -> null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
    assertThat(memory.read(range.start()).version()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void update_replaceWith_replacesTheWholePageWithoutLeftovers(Durability durability) {
    AddressRange range = memory.allocate(1, durability);
    memory.write(range.start(), new byte[] {1, 2, 3, 4, 5});
    Page replaced = memory.update(range.start(), PageUpdate.replaceWith(new byte[] {9, 8}));
    assertThat(replaced.version()).isEqualTo(2);
    assertThat(memory.read(range.start()).toByteArray(4096)).startsWith(9, 8, 0, 0, 0);
    assertThatThrownBy(() -> memory.update(range.start(), PageUpdate.replaceWith(new byte[5000])))
        .isInstanceOf(PageOverflowException.class);
    assertThat(memory.read(range.start()).version()).isEqualTo(2);
  }

  @Test
  void update_byTheLockHolder_keepsTheLockHeldAndOtherWritersWaiting() throws Exception {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    memory.lock(range.start());
    memory.update(range.start(), PageUpdate.replaceWith(new byte[] {1}));
    memory.update(range.start(), current -> {
      current[1] = 2;
      return current;
    });
    CountDownLatch written = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      memory.update(range.start(), PageUpdate.replaceWith(new byte[] {7}));
      written.countDown();
    });
    writer.start();
    assertThat(written.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(memory.read(range.start()).toByteArray(4096)).startsWith(1, 2);
    memory.unlock(range.start());
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    writer.join();
    assertThat(memory.read(range.start()).toByteArray()).containsExactly(7);
    assertThatThrownBy(() -> memory.unlock(range.start())).isInstanceOf(IllegalMonitorStateException.class);
  }

  /* ---- lock ---- */

  @Test
  void lock_heldByOneThread_makesOtherThreadsWritesWait() throws Exception {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    memory.lock(range.start());
    CountDownLatch written = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      memory.write(range.start(), new byte[] {2});
      written.countDown();
    });
    writer.start();
    assertThat(written.await(200, TimeUnit.MILLISECONDS)).isFalse();
    memory.write(range.start(), new byte[] {1});
    memory.unlock(range.start());
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    writer.join();
    assertThat(memory.read(range.start()).toByteArray()).containsExactly(2);
  }

  @Test
  void unlock_notHeld_throwsIllegalMonitorState() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    assertThatThrownBy(() -> memory.unlock(range.start())).isInstanceOf(IllegalMonitorStateException.class);
  }

  @Test
  void lock_unallocatedAddress_throws() {
    assertThatThrownBy(() -> memory.lock(new GlobalAddress(5, 0))).isInstanceOf(UnallocatedAddressException.class);
  }

  /* ---- free ---- */

  @ParameterizedTest
  @EnumSource(Durability.class)
  void free_thenUse_throwsUseAfterFree(Durability durability) {
    AddressRange range = memory.allocate(2, durability);
    memory.write(range.page(1), new byte[] {1});
    memory.free(range.start());
    assertThatThrownBy(() -> memory.read(range.page(1))).isInstanceOf(UnallocatedAddressException.class)
        .hasMessageContaining("use after free");
    assertThatThrownBy(() -> memory.write(range.start(), new byte[] {1}))
        .isInstanceOf(UnallocatedAddressException.class);
    assertThatThrownBy(() -> memory.free(range.start())).isInstanceOf(UnallocatedAddressException.class);
  }

  @Test
  void free_notTheRangeStart_throwsAndFreesNothing() {
    AddressRange range = memory.allocate(2, Durability.VOLATILE);
    assertThatThrownBy(() -> memory.free(range.page(1))).isInstanceOf(UnallocatedAddressException.class)
        .hasMessageContaining("not the start");
    assertThat(memory.read(range.page(1)).version()).isZero();
  }

  @Test
  void free_neverReusesTheAddresses() {
    AddressRange first = memory.allocate(4, Durability.VOLATILE);
    memory.free(first.start());
    AddressRange second = memory.allocate(4, Durability.VOLATILE);
    assertThat(second.start().compareTo(first.end())).isGreaterThanOrEqualTo(0);
  }

  /* ---- close ---- */

  @Test
  void anyCall_afterClose_throwsGridClosed() {
    AddressRange range = memory.allocate(1, Durability.VOLATILE);
    node.close();
    node.close();
    assertThatThrownBy(() -> memory.read(range.start())).isInstanceOf(GridClosedException.class);
    assertThatThrownBy(() -> memory.write(range.start(), new byte[1])).isInstanceOf(GridClosedException.class);
    assertThatThrownBy(() -> memory.update(range.start(), b -> b)).isInstanceOf(GridClosedException.class);
    assertThatThrownBy(() -> memory.allocate(1, Durability.VOLATILE)).isInstanceOf(GridClosedException.class);
    assertThatThrownBy(() -> memory.free(range.start())).isInstanceOf(GridClosedException.class);
    assertThatThrownBy(() -> memory.lock(range.start())).isInstanceOf(GridClosedException.class);
  }
}
