package io.quire.spi.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerializerSettingsTest {

  @Test
  void allows_packagePrefix_includesSubPackagesAndNestedClasses() {
    var settings = SerializerSettings.defaults().withAllowed("com.example.*");
    assertThat(settings.allows("com.example.Order")).isTrue();
    assertThat(settings.allows("com.example.sub.Line")).isTrue();
    assertThat(settings.allows("com.example.Order$Line")).isTrue();
    assertThat(settings.allows("com.examples.Order")).isFalse();
    assertThat(settings.allows("com.evil.Gadget")).isFalse();
  }

  @Test
  void allows_exactName_onlyThatClass() {
    var settings = SerializerSettings.defaults().withAllowed("com.example.Order");
    assertThat(settings.allows("com.example.Order")).isTrue();
    assertThat(settings.allows("com.example.Order$Line")).isFalse();
    assertThat(settings.allows("com.example.OrderX")).isFalse();
  }

  @Test
  void allows_arrays_byElementType() {
    var settings = SerializerSettings.defaults().withAllowed("com.example.*");
    assertThat(settings.allows("[Lcom.example.Order;")).isTrue();
    assertThat(settings.allows("[[Lcom.example.Order;")).isTrue();
    assertThat(settings.allows("[Lcom.evil.Gadget;")).isFalse();
    assertThat(settings.allows("[[I")).isTrue();
  }

  @Test
  void allows_nothingByName_whenRegistrationRequired() {
    var settings = new SerializerSettings(List.of("com.example.*"), Map.of(), true);
    assertThat(settings.allows("com.example.Order")).isFalse();
  }

  @Test
  void constructor_rejectsWildcardsOtherThanAPackagePrefix() {
    for (String bad : List.of("*", "com.*.Order", "com.example.**", "", "com..example")) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> SerializerSettings.defaults().withAllowed(bad))
          .withMessageContaining("allow pattern");
    }
  }

  @Test
  void constructor_rejectsReservedAndDuplicateIds() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SerializerSettings(List.of(), Map.of("com.example.A", 40), false))
        .withMessageContaining("user ids start at 256");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SerializerSettings(List.of(), Map.of("com.example.A", 300, "com.example.B", 300), false))
        .withMessageContaining("id 300 is registered twice");
  }

  @Test
  void serializationException_carriesClassName() {
    assertThat(new SerializationException("m", "com.evil.Gadget").className()).contains("com.evil.Gadget");
    assertThat(new SerializationException("m", new IllegalStateException()).className()).isEmpty();
  }
}
