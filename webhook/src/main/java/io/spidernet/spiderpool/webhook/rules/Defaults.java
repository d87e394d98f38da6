package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The mutations several kinds share: finalizer, labels, merged IP lists. */
final class Defaults {
  private Defaults() {}

  static void addFinalizer(HasMetadata object) {
    List<String> finalizers = object.getMetadata().getFinalizers() == null ? new ArrayList<>()
        : new ArrayList<>(object.getMetadata().getFinalizers());
    if (!finalizers.contains(Constants.FINALIZER)) {
      finalizers.add(Constants.FINALIZER);
      object.getMetadata().setFinalizers(finalizers);
    }
  }

  static boolean hasFinalizer(HasMetadata object) {
    return object.getMetadata().getFinalizers() != null && object.getMetadata().getFinalizers().contains(Constants.FINALIZER);
  }

  static void label(HasMetadata object, String key, String value) {
    Map<String, String> labels = object.getMetadata().getLabels() == null ? new HashMap<>()
        : new HashMap<>(object.getMetadata().getLabels());
    labels.put(key, value);
    object.getMetadata().setLabels(labels);
  }

  /**
   * Spiderpool's merge of a list with more than one entry: expanded, de-duplicated, sorted and joined
   * into minimal ranges ({@code ["172.18.40.10","172.18.40.1-172.18.40.2","172.18.40.2-172.18.40.3"]}
   * becomes {@code ["172.18.40.1-172.18.40.3","172.18.40.10"]}). Left as written when it cannot be read.
   */
  static List<String> merged(Long version, List<String> entries) {
    if (entries == null || entries.size() < 2 || version == null || (version != 4 && version != 6)) {
      return entries;
    }
    try {
      return IPRanges.parse(version.intValue(), entries, "ips").toStrings();
    } catch (IllegalArgumentException e) {
      return entries;
    }
  }
}
