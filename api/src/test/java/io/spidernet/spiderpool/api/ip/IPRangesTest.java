package io.spidernet.spiderpool.api.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class IPRangesTest {
  private static IPRanges v4(String... texts) {
    return IPRanges.parse(4, List.of(texts), "spec.ips");
  }

  @Test
  void mergesSortsAndDeduplicates() {
    assertThat(v4("10.0.0.5-10.0.0.9", "10.0.0.1", "10.0.0.2-10.0.0.4", "10.0.0.8", "10.0.0.20").toStrings())
        .containsExactly("10.0.0.1-10.0.0.9", "10.0.0.20");
    assertThat(v4("10.0.0.1", "10.0.0.1").toStrings()).containsExactly("10.0.0.1");
    assertThat(v4().isEmpty()).isTrue();
    assertThat(IPRanges.parse(6, null, "spec.ips").isEmpty()).isTrue();
  }

  @Test
  void parseErrorsNameTheFieldEntryAndReason() {
    assertThatThrownBy(() -> v4("10.0.0.1", "10.0.0.9-10.0.0.2"))
        .isInstanceOf(IPFormatException.class)
        .hasMessage("spec.ips[1]: invalid IP range \"10.0.0.9-10.0.0.2\": 10.0.0.2 is before 10.0.0.9");
    assertThatThrownBy(() -> v4("invalid IP range"))
        .hasMessageStartingWith("spec.ips[0]: invalid IP range \"invalid IP range\"");
    assertThatThrownBy(() -> v4("fd00::1"))
        .hasMessage("spec.ips[0]: \"fd00::1\" is IPv6, expected IPv4");
    assertThatThrownBy(() -> v4("10.0.0.1-fd00::1")).hasMessageContaining("mixes IPv4 and IPv6");
  }

  @Test
  void subtractsExcludedAndReservedIPs() {
    IPRanges ips = v4("10.6.168.60-10.6.168.69");
    IPRanges exclude = v4("10.6.168.60", "10.6.168.63-10.6.168.64", "10.6.168.69-10.6.168.80");
    assertThat(ips.subtract(exclude).toStrings())
        .containsExactly("10.6.168.61-10.6.168.62", "10.6.168.65-10.6.168.68");
    assertThat(ips.subtract(ips).isEmpty()).isTrue();
    assertThat(ips.subtract(v4("10.6.168.0-10.6.168.59")).toStrings()).containsExactly("10.6.168.60-10.6.168.69");
  }

  @Test
  void intersectsWithTheSubnet() {
    IPRanges ips = v4("10.6.255.250-10.7.0.5");
    assertThat(ips.intersect(IPRanges.of(Cidr.parse("10.6.0.0/16"))).toStrings())
        .containsExactly("10.6.255.250-10.6.255.255");
    assertThat(IPRanges.of(Cidr.parse("10.6.0.0/16")).containsAll(ips)).isFalse();
  }

  @Test
  void countsExactlyBeyond64Bits() {
    IPRanges v6 = IPRanges.parse(6, List.of("fd00::-fd00::ffff:ffff:ffff:ffff"), "ips");
    assertThat(v6.count()).isEqualTo(BigInteger.ONE.shiftLeft(64));
    assertThat(v6.countSaturated()).isEqualTo(Long.MAX_VALUE);
    assertThat(v4("10.6.168.60-10.6.168.69").countSaturated()).isEqualTo(10);
    IPRanges all = IPRanges.parse(6, List.of("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "ips");
    assertThat(all.count()).isEqualTo(BigInteger.ONE.shiftLeft(128));
  }

  @Test
  void refusesMixingFamilies() {
    assertThatThrownBy(() -> v4("10.0.0.1").union(IPRanges.empty(6)))
        .hasMessage("cannot combine IPv4 and IPv6 ranges");
  }
}
