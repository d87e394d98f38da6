package io.spidernet.spiderpool.api.annotation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks for the names annotations carry: pool and subnet names, NICs, Kubernetes names. */
final class Names {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  /** Pool or subnet names: non-empty, no white space, no duplicate in one list. */
  static List<String> resourceNames(String annotation, String value, String field, List<String> names) {
    if (names == null) {
      return List.of();
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null || name.isEmpty() || !name.strip().equals(name) || name.chars().anyMatch(Character::isWhitespace)) {
        throw new AnnotationException(annotation, value, field + " has an empty or blank name \"" + name + "\"");
      }
      if (!seen.add(name)) {
        throw new AnnotationException(annotation, value, field + " names " + name + " twice");
      }
    }
    return List.copyOf(names);
  }

  /** A Linux interface name: 1 to 15 bytes, not {@code .} or {@code ..}, no {@code /}, {@code :} or space. */
  static String nic(String annotation, String value, String nic) {
    if (nic == null || nic.isEmpty() || nic.length() > 15 || nic.equals(".") || nic.equals("..")
        || nic.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 127)) {
      throw new AnnotationException(annotation, value,
          "\"" + nic + "\" is not a valid interface name (1-15 characters, no '/', ':' or white space)");
    }
    return nic;
  }

  static String namespace(String annotation, String value, String namespace) {
    if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
      throw new AnnotationException(annotation, value, "\"" + namespace + "\" is not a valid namespace name");
    }
    return namespace;
  }

  static String objectName(String annotation, String value, String name) {
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      throw new AnnotationException(annotation, value, "\"" + name + "\" is not a valid object name");
    }
    return name;
  }
}
