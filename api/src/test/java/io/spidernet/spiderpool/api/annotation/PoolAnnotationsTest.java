package io.spidernet.spiderpool.api.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.annotation.PoolAnnotations.NicPools;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolAnnotationsTest {
  @Test
  void readsTheSeedsIppoolAnnotation() {
    // seeds 000/002: a block scalar with newlines and indentation
    String seed = "{\n  \"ipv4\": [\"test-ippool-6\", \"test-ippool-7\"]\n}";
    PoolAnnotations.IPPool pools = PoolAnnotations.ippool(seed);
    assertThat(pools.ipv4()).containsExactly("test-ippool-6", "test-ippool-7");
    assertThat(pools.ipv6()).isEmpty();
  }

  @Test
  void matchesFieldNamesLikeGoDoesAndKeepsGlobs() {
    PoolAnnotations.IPPool pools = PoolAnnotations.ippool("{\"IPv4\":[\"v4-*\"],\"ipv6\":[\"v6-[ab]?\"],\"extra\":1}");
    assertThat(pools.ipv4()).containsExactly("v4-*");
    assertThat(pools.ipv6()).containsExactly("v6-[ab]?");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json| not an object {\"ipv4\":[...],\"ipv6\":[...]}",
        "{}| names no IPPool in ipv4 or ipv6",
        "{\"ipv4\":[]}| names no IPPool in ipv4 or ipv6",
        "{\"ipv4\":[\"a\",\"a\"]}| ipv4 names a twice",
        "{\"ipv4\":[\"\"]}| ipv4 has an empty or blank name",
        "{\"ipv4\":\"a\"}| not an object",
        "{\"ipv4\":[\"a\"]} trailing| not an object",
      })
  void rejectsBadIppoolNamingAnnotationValueAndProblem(String value, String problem) {
    assertThatThrownBy(() -> PoolAnnotations.ippool(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/ippool='" + value + "': ")
        .hasMessageContaining(problem.strip());
  }

  @Test
  void readsMultiNicPoolsWithAndWithoutNames() {
    List<NicPools> named = PoolAnnotations.ippools(
        "[{\"interface\":\"eth0\",\"ipv4\":[\"v4-a\"],\"ipv6\":[\"v6-a\"]},"
            + "{\"interface\":\"net1\",\"ipv4\":[\"v4-b\"],\"cleangateway\":true}]");
    assertThat(named).containsExactly(
        new NicPools("eth0", List.of("v4-a"), List.of("v6-a"), false),
        new NicPools("net1", List.of("v4-b"), List.of(), true));
    List<NicPools> unnamed = PoolAnnotations.ippools("[{\"ipv4\":[\"a\"]},{\"ipv4\":[\"b\"]}]");
    assertThat(unnamed).extracting(NicPools::nic).containsExactly(null, null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]| empty array",
        "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"ipv4\":[\"b\"]}]| must be set on every item or on none",
        "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"interface\":\"eth0\",\"ipv4\":[\"b\"]}]| interface eth0 is listed twice",
        "[{\"interface\":\"eth0\"}]| interface eth0 names no IPPool",
        "[{\"interface\":\"a/b\",\"ipv4\":[\"a\"]}]| \"a/b\" is not a valid interface name",
        "[{\"interface\":\"averyveryverylongname\",\"ipv4\":[\"a\"]}]| is not a valid interface name",
        "{\"ipv4\":[\"a\"]}| not an array",
        "[null]| item 0 is null",
      })
  void rejectsBadIppools(String value, String problem) {
    assertThatThrownBy(() -> PoolAnnotations.ippools(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/ippools=")
        .hasMessageContaining(problem.strip());
  }

  @Test
  void readsNamespaceDefaultPools() {
    assertThat(PoolAnnotations.namespaceDefaultPools(Annotations.DEFAULT_IPV4_IPPOOL, "[\"p1\",\"p2\"]"))
        .containsExactly("p1", "p2");
    assertThat(PoolAnnotations.namespaceDefaultPools(Annotations.DEFAULT_IPV6_IPPOOL, "[]")).isEmpty();
    assertThatThrownBy(() -> PoolAnnotations.namespaceDefaultPools(Annotations.DEFAULT_IPV4_IPPOOL, "p1,p2"))
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/default-ipv4-ippool='p1,p2': not a JSON array");
  }

  @Test
  void truncatesHugeValuesInMessages() {
    String huge = "{\"ipv4\":[\"" + "x".repeat(1000) + "\",\"" + "x".repeat(1000) + "\"]}";
    assertThatThrownBy(() -> PoolAnnotations.ippool(huge))
        .hasMessageContaining("...': ipv4 names " + "x".repeat(1000) + " twice");
  }
}
