package io.spidernet.spiderpool.testsupport.kube;

/** The fresh namespace a test class runs in; deleted after the class. */
public record TestNamespace(String name) {
  /** A name unique to this test class for a cluster-scoped object, e.g. a pool. */
  public String unique(String prefix) {
    return prefix + "-" + name;
  }
}
