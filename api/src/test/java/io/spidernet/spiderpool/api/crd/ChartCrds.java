package io.spidernet.spiderpool.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the CRDs that fabric8's generator writes from the Java model into the files the chart ships
 * in {@code charts/spiderpool/crds/}. It finishes two things the generator cannot express: printer
 * columns in the order the model declares them (the generator sorts them by JSON path, which would
 * reorder {@code kubectl get} output), and no status subresource for kinds marked
 * {@link StatusWithoutSubresource}; and SpiderEndpoint's {@code status.current.node} as a selectable
 * field, so that an agent lists only its node's endpoints (CNI GC) with a field selector.
 *
 * <p>{@code main(generatedDir, chartCrdDir)} rewrites the chart copy; {@code scripts/update-crds.sh}
 * calls it, and a test fails when the committed copy differs from {@link #render}.
 */
public final class ChartCrds {
  /** Every kind the chart ships, in file-name order. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(
          NetworkAttachmentDefinition.class,
          SpiderCoordinator.class,
          SpiderEndpoint.class,
          SpiderIPPool.class,
          SpiderMultusConfig.class,
          SpiderReservedIP.class,
          SpiderSubnet.class);

  private static final String HEADER =
      "# Generated from the Java model in api/ by scripts/update-crds.sh. Do not edit by hand.\n";

  /** The JSON path of SpiderEndpoint's selectable node field (field selector {@code status.current.node=...}). */
  static final String ENDPOINT_NODE_FIELD_PATH = ".status.current.node";

  private ChartCrds() {}

  /** Chart file name (e.g. {@code spiderpool.spidernet.io_spiderippools.yaml}) to its content. */
  public static Map<String, String> render(Path generatedDir) {
    KubernetesSerialization yaml = new KubernetesSerialization();
    Map<String, String> files = new TreeMap<>();
    for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
      String crdName = CustomResource.getCRDName(kind);
      Path source = generatedDir.resolve(crdName + "-v1.yml");
      if (!Files.isRegularFile(source)) {
        throw new IllegalStateException(
            "no generated CRD for " + kind.getSimpleName() + " at " + source + " (run mvn process-classes in api/)");
      }
      CustomResourceDefinition crd = yaml.unmarshal(read(source), CustomResourceDefinition.class);
      finish(crd, kind);
      String group = HasMetadata.getGroup(kind);
      String plural = HasMetadata.getPlural(kind);
      files.put(group + "_" + plural + ".yaml", HEADER + yaml.asYaml(crd));
    }
    return files;
  }

  static void finish(CustomResourceDefinition crd, Class<?> kind) {
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(declaredOrder(version.getAdditionalPrinterColumns(), kind));
      if (kind == SpiderEndpoint.class) {
        version.setSelectableFields(List.of(new io.fabric8.kubernetes.api.model.apiextensions.v1.SelectableField(
            ENDPOINT_NODE_FIELD_PATH)));
      }
      if (kind.isAnnotationPresent(StatusWithoutSubresource.class) && version.getSubresources() != null) {
        version.getSubresources().setStatus(null);
        if (version.getSubresources().getScale() == null) {
          version.setSubresources(null);
        }
      }
    }
  }

  private static List<CustomResourceColumnDefinition> declaredOrder(
      List<CustomResourceColumnDefinition> columns, Class<?> kind) {
    if (columns == null || columns.isEmpty()) {
      return columns;
    }
    List<String> declared = new ArrayList<>();
    for (AdditionalPrinterColumn column : kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      declared.add(column.name());
    }
    List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
    sorted.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    return sorted;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes {@link #render} into the chart directory and removes CRD files it no longer ships. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ChartCrds <generated-crd-dir> <chart-crd-dir>");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Map<String, String> files = render(Path.of(args[0]));
    try (Stream<Path> existing = Files.list(out)) {
      for (Path stale : existing.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        if (!files.containsKey(stale.getFileName().toString())) {
          Files.delete(stale);
        }
      }
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(out.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + files.size() + " CRDs to " + out);
  }
}
