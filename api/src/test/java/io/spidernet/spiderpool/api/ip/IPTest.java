package io.spidernet.spiderpool.api.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IPTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "10.6.168.60, 10.6.168.60",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::, ::",
    "::1, ::1",
    "2001:db8::1, 2001:db8::1",
    "2001:DB8::A, 2001:db8::a",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "1:0:0:0:0:0:0:0, 1::",
    "0:0:0:0:0:0:0:1, ::1",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fd00:0:0:1::0:0, fd00:0:0:1::",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "::ffff:1.2.3.4, ::ffff:102:304",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
  })
  void parsesAndFormatsCanonically(String text, String canonical) {
    IP ip = IP.parse(text);
    assertThat(ip.toString()).isEqualTo(canonical);
    assertThat(IP.parse(canonical)).isEqualTo(ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.-1", "a.b.c.d", "1..2.3", "1.2.3.4.",
    " 1.2.3.4", "1.2.3.4 ", "1", "invalid IP", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
    "::1%eth0", "1.2.3.4:80", "1:2:3:4:5:6:7:8::", "::g", "1:", ":1", "1::2:3:4:5:6:7:8",
    "::1.2.3", "::1.2.3.4:5", "1000.1.1.1"
  })
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> IP.parse(text))
        .isInstanceOf(IPFormatException.class)
        .hasMessageContaining("invalid IP address \"" + text + "\"");
    assertThat(IP.isValid(text)).isFalse();
  }

  @Test
  void familyFollowsSyntax() {
    assertThat(IP.parse("10.0.0.1").version()).isEqualTo(4);
    assertThat(IP.parse("::ffff:10.0.0.1").version()).isEqualTo(6);
    assertThat(IP.parse("10.0.0.1")).isLessThan(IP.parse("::"));
  }

  @Test
  void stepsAcrossWordBoundariesAndStopsAtTheEnds() {
    assertThat(IP.parse("10.0.0.255").next()).isEqualTo(IP.parse("10.0.1.0"));
    assertThat(IP.parse("255.255.255.255").next()).isNull();
    assertThat(IP.parse("0.0.0.0").previous()).isNull();
    assertThat(IP.parse("::ffff:ffff:ffff:ffff").next()).isEqualTo(IP.parse("0:0:0:1::"));
    assertThat(IP.parse("0:0:0:1::").previous()).isEqualTo(IP.parse("::ffff:ffff:ffff:ffff"));
    assertThat(IP.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next()).isNull();
    assertThat(IP.parse("::").previous()).isNull();
  }

  @Test
  void ordersUnsigned() {
    assertThat(IP.parse("8000::")).isGreaterThan(IP.parse("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assertThat(IP.parse("::8000:0:0:0")).isGreaterThan(IP.parse("::7fff:ffff:ffff:ffff"));
    assertThat(IP.parse("200.0.0.1")).isGreaterThan(IP.parse("100.0.0.1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.6.168.60", "2001:db8::1", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
  void agreesWithTheJdk(String text) throws Exception {
    IP ip = IP.parse(text);
    assertThat(ip.toInetAddress()).isEqualTo(InetAddress.getByName(text));
    assertThat(ip.toBigInteger()).isEqualTo(new java.math.BigInteger(1, InetAddress.getByName(text).getAddress()));
  }

  @ParameterizedTest(name = "{1} follows {0}: {2}")
  @CsvSource({
    "10.0.0.1, 10.0.0.2, true",
    "10.0.0.1, 10.0.0.3, false",
    "10.0.0.2, 10.0.0.1, false",
    "255.255.255.255, 0.0.0.0, false",
    "::ffff:ffff:ffff:ffff, 0:0:0:1::, true",
    "::ffff:ffff:ffff:ffff, ::, false",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ::, false",
    "10.0.0.1, ::a00:2, false",
  })
  void knowsItsSuccessorWithoutCreatingIt(String a, String b, boolean expected) {
    assertThat(IP.parse(b).isSuccessorOf(IP.parse(a))).isEqualTo(expected);
    IP next = IP.parse(a).next();
    assertThat(next != null && next.equals(IP.parse(b))).isEqualTo(expected);
  }
}
