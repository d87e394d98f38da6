package io.spidernet.spiderpool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolIPAllocationsTest {
  /** What upstream Spiderpool writes: Go sorts map keys as strings. */
  private static final String UPSTREAM =
      "{\"10.6.168.60\":{\"pod\":\"default/test-app-j9ftl\",\"podUid\":\"b1f0c6a2\"},"
          + "\"10.6.168.7\":{\"pod\":\"kube-system/coredns-x\",\"podUid\":\"77aa\"}}";

  @Test
  void readsAndWritesUpstreamsEncodingByteForByte() {
    SortedMap<String, PoolIPAllocation> records = PoolIPAllocations.decode("test-ippool-6", UPSTREAM);
    assertThat(records).containsOnlyKeys("10.6.168.60", "10.6.168.7");
    PoolIPAllocation app = records.get("10.6.168.60");
    assertThat(app.namespace()).isEqualTo("default");
    assertThat(app.name()).isEqualTo("test-app-j9ftl");
    assertThat(app.podUid()).isEqualTo("b1f0c6a2");
    assertThat(PoolIPAllocations.encode(records)).isEqualTo(UPSTREAM);
  }

  @Test
  void sortsKeysWhateverTheInputOrder() {
    Map<String, PoolIPAllocation> unordered = new LinkedHashMap<>();
    unordered.put("10.6.168.7", PoolIPAllocation.of("kube-system", "coredns-x", "77aa"));
    unordered.put("10.6.168.60", PoolIPAllocation.of("default", "test-app-j9ftl", "b1f0c6a2"));
    assertThat(PoolIPAllocations.encode(unordered)).isEqualTo(UPSTREAM);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "null", "{}", "  "})
  void readsNoRecordsAsEmptyAndWritesEmptyAsAbsent(String json) {
    SortedMap<String, PoolIPAllocation> records = PoolIPAllocations.decode("p", json);
    assertThat(records).isEmpty();
    assertThat(PoolIPAllocations.encode(records)).isNull();
  }

  @Test
  void ignoresFieldsAddedByNewerVersions() {
    String json = "{\"fd00::1\":{\"pod\":\"ns/a\",\"podUid\":\"u1\",\"future\":true}}";
    assertThat(PoolIPAllocations.decode("v6", json).get("fd00::1")).isEqualTo(new PoolIPAllocation("ns/a", "u1"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1,2]| SpiderIPPool pool-a status.allocatedIPs: not a JSON object",
        "{\"10.0.0.1\":{\"pod\":\"ns/a\",\"podUid\":\"u\"}| SpiderIPPool pool-a status.allocatedIPs: not a JSON object",
        "{\"10.0.0.1/24\":{\"pod\":\"ns/a\",\"podUid\":\"u\"}}| key \"10.0.0.1/24\" is not a bare IP address",
        "{\"10.0.0.1\":{\"pod\":\"a\",\"podUid\":\"u\"}}| IP 10.0.0.1 has pod \"a\", expected <namespace>/<name>",
        "{\"10.0.0.1\":{\"pod\":\"ns/\",\"podUid\":\"u\"}}| expected <namespace>/<name>",
        "{\"10.0.0.1\":{\"pod\":\"ns/a\"}}| IP 10.0.0.1 of pod ns/a has no podUid",
        "{\"10.0.0.1\":null}| IP 10.0.0.1 has a null record",
      })
  void malformedStatusNamesThePoolAndTheEntry(String json, String expected) {
    assertThatThrownBy(() -> PoolIPAllocations.decode("pool-a", json))
        .isInstanceOf(StatusCodecException.class)
        .hasMessageStartingWith("SpiderIPPool pool-a status.allocatedIPs")
        .hasMessageContaining(expected.strip());
  }
}
