package io.spidernet.spiderpool.core.kube;

import io.spidernet.spiderpool.core.IpamException;
import java.util.regex.Pattern;

/**
 * Object names as Kubernetes allows them, checked before a name from outside (a CNI request, a pod
 * annotation) becomes part of an API URL: fabric8 puts names into paths as given, so a name like
 * {@code ?watch=1} or {@code victim/status} would ask for something else. Any thread.
 */
public final class KubeNames {
  /** RFC 1123 label: namespaces. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** RFC 1123 subdomain: pods, pools and most other objects. */
  private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubeNames() {}

  /** {@code name} when it is a valid namespace name, else a BAD_INPUT failure naming {@code what}. */
  public static String namespace(String what, String name) {
    if (name == null || !LABEL.matcher(name).matches()) {
      throw invalid(what, name, "a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 characters)");
    }
    return name;
  }

  /** {@code name} when it is a valid object name, else a BAD_INPUT failure naming {@code what}. */
  public static String object(String what, String name) {
    if (name == null || name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      throw invalid(what, name, "a lowercase RFC 1123 subdomain (a-z, 0-9, '-' and '.', at most 253 characters)");
    }
    return name;
  }

  /** Whether {@code name} is an RFC 1123 subdomain (the rule for most object names). */
  public static boolean isSubdomain(String name) {
    return name != null && name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
  }

  private static IpamException invalid(String what, String name, String rule) {
    String shown = name == null ? "no name" : "\"" + (name.length() > 80 ? name.substring(0, 80) + "..." : name) + "\"";
    return new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, " + what + " " + shown
        + " is not a valid Kubernetes name: it must be " + rule);
  }
}
