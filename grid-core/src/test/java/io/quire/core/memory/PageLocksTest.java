package io.quire.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PageLocksTest {
  private static final GlobalAddress A = new GlobalAddress(1, 0);
  private static final GlobalAddress B = new GlobalAddress(1, 4096);

  @Test
  void unlock_lastHolder_dropsTheLockEntry() {
    PageLocks locks = new PageLocks();
    locks.lock(A);
    locks.lock(A);
    locks.unlock(A);
    assertThat(locks.inUse()).isEqualTo(1);
    locks.unlock(A);
    assertThat(locks.inUse()).isZero();
  }

  @Test
  void unlock_notHeld_throwsNamingThePage() {
    PageLocks locks = new PageLocks();
    assertThatThrownBy(() -> locks.unlock(A)).isInstanceOf(IllegalMonitorStateException.class)
        .hasMessageContaining(A.toString());
  }

  @Test
  void lock_heldByOtherThread_waitsUntilReleased() throws Exception {
    PageLocks locks = new PageLocks();
    locks.lock(A);
    CountDownLatch acquired = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      locks.lock(A);
      acquired.countDown();
      locks.unlock(A);
    });
    other.start();
    assertThat(acquired.await(100, TimeUnit.MILLISECONDS)).isFalse();
    locks.unlock(A);
    assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
    other.join();
    assertThat(locks.inUse()).isZero();
  }

  @Test
  void lock_differentPages_doNotBlockEachOther() throws Exception {
    PageLocks locks = new PageLocks();
    locks.lock(A);
    AtomicBoolean gotB = new AtomicBoolean();
    Thread other = new Thread(() -> {
      locks.lock(B);
      gotB.set(true);
      locks.unlock(B);
    });
    other.start();
    other.join(10_000);
    assertThat(gotB).isTrue();
    locks.unlock(A);
  }
}
