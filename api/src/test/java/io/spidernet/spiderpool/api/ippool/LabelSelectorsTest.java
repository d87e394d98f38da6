package io.spidernet.spiderpool.api.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorsTest {
  private static final Map<String, String> NODE = Map.of("node-subnet", "subnet-6", "zone", "a");

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    "node-subnet, In, subnet-6, true",
    "node-subnet, In, subnet-7, false",
    "node-subnet, NotIn, subnet-7, true",
    "node-subnet, NotIn, subnet-6, false",
    "missing, NotIn, x, true",
    "zone, Exists, , true",
    "missing, Exists, , false",
    "missing, DoesNotExist, , true",
    "zone, DoesNotExist, , false",
    "zone, Gt, 1, false",
  })
  void matchesExpressionsLikeKubernetes(String key, String op, String value, boolean expected) {
    LabelSelectorBuilder b = new LabelSelectorBuilder();
    if (value == null) {
      b.addNewMatchExpression().withKey(key).withOperator(op).endMatchExpression();
    } else {
      b.addNewMatchExpression().withKey(key).withOperator(op).withValues(value).endMatchExpression();
    }
    assertThat(LabelSelectors.matches(b.build(), NODE)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({"zone, a, true", "zone, b, false", "other, a, false"})
  void matchLabelsAreAnded(String key, String value, boolean expected) {
    LabelSelector s = new LabelSelectorBuilder().withMatchLabels(Map.of("node-subnet", "subnet-6", key, value)).build();
    assertThat(LabelSelectors.matches(s, NODE)).isEqualTo(expected);
    assertThat(LabelSelectors.matches(new LabelSelector(), NODE)).as("empty selector").isTrue();
    assertThat(LabelSelectors.matches(s, null)).isFalse();
  }
}
