package io.spidernet.spiderpool.api.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10.6.0.0/16, 10.6.0.0, 10.6.255.255, 65536, 10-6-0-0-16",
    "172.18.40.0/24, 172.18.40.0, 172.18.40.255, 256, 172-18-40-0-24",
    "10.64.0.0/10, 10.64.0.0, 10.127.255.255, 4194304, 10-64-0-0-10",
    "0.0.0.0/0, 0.0.0.0, 255.255.255.255, 4294967296, 0-0-0-0-0",
    "10.0.0.7/32, 10.0.0.7, 10.0.0.7, 1, 10-0-0-7-32",
    "fd00:1::/64, fd00:1::, fd00:1::ffff:ffff:ffff:ffff, 18446744073709551616, fd00-1---64",
    "::/0, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 340282366920938463463374607431768211456, ---0",
    "2001:db8::/127, 2001:db8::, 2001:db8::1, 2, 2001-db8---127",
  })
  void describesTheSubnet(String text, String first, String last, String size, String label) {
    Cidr cidr = Cidr.parse(text);
    assertThat(cidr.toString()).isEqualTo(text);
    assertThat(cidr.first()).isEqualTo(IP.parse(first));
    assertThat(cidr.last()).isEqualTo(IP.parse(last));
    assertThat(cidr.size()).isEqualTo(new BigInteger(size));
    assertThat(IPRanges.of(cidr).count()).isEqualTo(new BigInteger(size));
    assertThat(cidr.label()).isEqualTo(label);
    assertThat(cidr.contains(IP.parse(first))).isTrue();
    assertThat(cidr.contains(IP.parse(last))).isTrue();
  }

  @Test
  void refusesHostBitsAndNamesTheSubnet() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/24"))
        .isInstanceOf(IPFormatException.class)
        .hasMessage("invalid CIDR \"10.0.0.1/24\": host bits are set, the subnet is 10.0.0.0/24");
    assertThatThrownBy(() -> Cidr.parse("fd00::1/64")).hasMessageContaining("the subnet is fd00::/64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid CIDR", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/024", "::/129",
    "10.0.0.0/a", "10.0.0/8", "/8"})
  void rejectsMalformedText(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IPFormatException.class)
        .hasMessageStartingWith("invalid CIDR \"" + text + "\"");
  }

  @Test
  void containsOnlyItsOwnFamilyAndRange() {
    Cidr cidr = Cidr.parse("10.6.0.0/16");
    assertThat(cidr.contains(IP.parse("10.7.0.0"))).isFalse();
    assertThat(cidr.contains(IP.parse("10.5.255.255"))).isFalse();
    assertThat(cidr.contains(IP.parse("::a06:1"))).isFalse();
    assertThat(Cidr.containing(IP.parse("10.6.1.5"), 16)).isEqualTo(cidr);
  }
}
