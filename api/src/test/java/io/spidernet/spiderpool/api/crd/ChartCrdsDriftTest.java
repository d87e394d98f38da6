package io.spidernet.spiderpool.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the CRDs the Java model generates; run scripts/update-crds.sh after a model change. */
class ChartCrdsDriftTest {
  private static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

  static Path chartCrds() {
    return Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("charts/spiderpool/crds");
  }

  @Test
  void committedChartCrdsEqualTheGeneratedOnes() throws IOException {
    Map<String, String> expected = ChartCrds.render(GENERATED);
    try (Stream<Path> files = Files.list(chartCrds())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("files in charts/spiderpool/crds (run scripts/update-crds.sh)")
          .containsExactlyElementsOf(expected.keySet());
    }
    for (Map.Entry<String, String> file : expected.entrySet()) {
      assertThat(Files.readString(chartCrds().resolve(file.getKey())))
          .as("charts/spiderpool/crds/" + file.getKey() + " differs from the model; run scripts/update-crds.sh")
          .isEqualTo(file.getValue());
    }
  }
}
