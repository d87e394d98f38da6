package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.webhook.review.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes' rules for a LabelSelector: qualified keys, label values, operators and their values. */
final class LabelSelectorChecks {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  private LabelSelectorChecks() {}

  static List<FieldError> check(String field, LabelSelector selector) {
    List<FieldError> errors = new ArrayList<>();
    if (selector == null) {
      return errors;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        String keyProblem = keyProblem(e.getKey());
        if (keyProblem != null) {
          errors.add(FieldError.invalid(field + ".matchLabels", e.getKey(), keyProblem));
        }
        String valueProblem = valueProblem(e.getValue());
        if (valueProblem != null) {
          errors.add(FieldError.invalid(field + ".matchLabels", e.getValue(), valueProblem));
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; expressions != null && i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String path = field + ".matchExpressions[" + i + "]";
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      if (!OPERATORS.contains(r.getOperator())) {
        errors.add(FieldError.notSupported(path + ".operator", r.getOperator(), OPERATORS));
      } else if ((r.getOperator().equals("In") || r.getOperator().equals("NotIn")) && values.isEmpty()) {
        errors.add(FieldError.required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
      } else if ((r.getOperator().equals("Exists") || r.getOperator().equals("DoesNotExist")) && !values.isEmpty()) {
        errors.add(FieldError.forbidden(path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      String keyProblem = keyProblem(r.getKey());
      if (keyProblem != null) {
        errors.add(FieldError.invalid(path + ".key", r.getKey(), keyProblem));
      }
      for (int j = 0; j < values.size(); j++) {
        String valueProblem = valueProblem(values.get(j));
        if (valueProblem != null) {
          errors.add(FieldError.invalid(path + ".values[" + j + "]", values.get(j), valueProblem));
        }
      }
    }
    return errors;
  }

  /** A qualified name: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
  static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "a label key must not be empty";
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (!KubeNames.isSubdomain(prefix)) {
        return "prefix part must be a lowercase RFC 1123 subdomain";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
          + "alphanumeric character, at most 63 characters";
    }
    return null;
  }

  static String valueProblem(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > 63 || !NAME.matcher(value).matches()) {
      return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
          + "start and end with an alphanumeric character, at most 63 characters";
    }
    return null;
  }
}
