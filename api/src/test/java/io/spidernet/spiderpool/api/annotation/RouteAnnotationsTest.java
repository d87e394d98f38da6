package io.spidernet.spiderpool.api.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.v2beta1.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteAnnotationsTest {
  @Test
  void readsRoutesInCanonicalForm() {
    assertThat(RouteAnnotations.routes(
            "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"192.168.1.1\"},{\"dst\":\"FD00::/64\",\"gw\":\"fd01::0001\"}]"))
        .containsExactly(new Route("10.0.0.0/16", "192.168.1.1"), new Route("fd00::/64", "fd01::1"));
    assertThat(RouteAnnotations.routes("[]")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[{\"dst\":\"10.0.0.0/16\"}]| route 0 needs both \"dst\" and \"gw\"",
        "[{\"dst\":\"10.0.0.1/16\",\"gw\":\"192.168.1.1\"}]| route 0: invalid CIDR \"10.0.0.1/16\": host bits are set",
        "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"invalid IP\"}]| route 0: invalid IP address \"invalid IP\"",
        "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"fd00::1\"}]| are of different IP families",
        "[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.0.0.1\"}]| the default route comes from the pool's gateway",
        "{\"dst\":\"10.0.0.0/16\"}| not an array",
      })
  void rejectsBadRoutes(String value, String problem) {
    assertThatThrownBy(() -> RouteAnnotations.routes(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/routes=")
        .hasMessageContaining(problem.strip());
  }
}
