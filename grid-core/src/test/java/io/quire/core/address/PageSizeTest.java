package io.quire.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageSizeTest {

  @ParameterizedTest
  @ValueSource(ints = {0, -4096, 511, 1000, 4095, 4097, 3 * 4096, 1 << 21})
  void constructor_notAPowerOfTwoInRange_throwsNamingTheRule(int bytes) {
    assertThatThrownBy(() -> new PageSize(bytes)).isInstanceOf(InvalidPageSizeException.class)
        .hasMessageContaining(String.valueOf(bytes)).hasMessageContaining("power of two");
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 1024, 4096, 65536, 1 << 20})
  void constructor_powerOfTwoInRange_givesShiftAndMask(int bytes) {
    PageSize size = new PageSize(bytes);
    assertThat(1 << size.shift()).isEqualTo(bytes);
    assertThat(size.offsetMask()).isEqualTo(bytes - 1L);
  }
}
