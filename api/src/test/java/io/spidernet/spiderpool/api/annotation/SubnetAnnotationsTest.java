package io.spidernet.spiderpool.api.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.annotation.SubnetAnnotations.IPNumber;
import io.spidernet.spiderpool.api.annotation.SubnetAnnotations.NicSubnets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubnetAnnotationsTest {
  @Test
  void readsTheSubnetAnnotationDefaultingToEth0() {
    assertThat(SubnetAnnotations.subnet("{\"ipv4\":[\"subnet-test\"]}"))
        .isEqualTo(new NicSubnets("eth0", List.of("subnet-test"), List.of()));
    assertThat(SubnetAnnotations.subnet("{\"interface\":\"net1\",\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}"))
        .isEqualTo(new NicSubnets("net1", List.of("s4"), List.of("s6")));
  }

  @Test
  void readsMultiNicSubnets() {
    assertThat(SubnetAnnotations.subnets(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"s1\"]},{\"interface\":\"net1\",\"ipv4\":[\"s2\"]}]"))
        .extracting(NicSubnets::nic)
        .containsExactly("eth0", "net1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]| empty array",
        "[{\"interface\":\"eth0\",\"ipv4\":[\"s1\"]},{\"interface\":\"eth0\",\"ipv4\":[\"s2\"]}]| interface eth0 is listed twice",
        "[{\"ipv4\":[\"s1\"]},{\"interface\":\"net1\",\"ipv4\":[\"s1\"]}]| SpiderSubnet s1 is used by two interfaces",
        "[{\"interface\":\"net1\"}]| item 0 names no SpiderSubnet",
      })
  void rejectsBadSubnets(String value, String problem) {
    assertThatThrownBy(() -> SubnetAnnotations.subnets(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/subnets=")
        .hasMessageContaining(problem.strip());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2, false, 2", "+1, true, 1", "0, false, 0", "+0, true, 0", "007, false, 7"})
  void readsIPNumber(String value, boolean flexible, int count) {
    assertThat(SubnetAnnotations.ipNumber(value)).isEqualTo(new IPNumber(flexible, count));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+", "++1", "-1", "1.5", "a", "+1+", " 1", "9999999999"})
  void rejectsBadIPNumber(String value) {
    assertThatThrownBy(() -> SubnetAnnotations.ipNumber(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/ippool-ip-number=");
  }

  @Test
  void readsReclaimLikeGoParseBool() {
    assertThat(SubnetAnnotations.reclaim(null)).isTrue();
    assertThat(SubnetAnnotations.reclaim("false")).isFalse();
    assertThat(SubnetAnnotations.reclaim("T")).isTrue();
    assertThat(SubnetAnnotations.reclaim("0")).isFalse();
    assertThatThrownBy(() -> SubnetAnnotations.reclaim("yes"))
        .hasMessage("invalid annotation ipam.spidernet.io/ippool-reclaim='yes': expected \"true\" or \"false\"");
  }
}
