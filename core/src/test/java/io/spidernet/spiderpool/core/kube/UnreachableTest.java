package io.spidernet.spiderpool.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class UnreachableTest {
  static final String SERVER = "https://10.0.0.1:6443/";

  @Test
  void aRequestThatGotNoAnswerNamesTheServerAndTheCause() {
    KubernetesClientException fabric8 = new KubernetesClientException(
        "Operation: [update]  for kind: [SpiderIPPool]  with name: [pool-a]  in namespace: [default]  failed.",
        new KubernetesClientException("An error has occurred.", new ConnectException("Connection refused")));
    Throwable explained = Unreachable.explain(fabric8, SERVER);
    assertThat(explained).isInstanceOf(KubernetesClientException.class).hasCause(fabric8).hasMessage(
        "Kubernetes API server https://10.0.0.1:6443/ unreachable (Connection refused): Operation: [update] for kind: "
            + "[SpiderIPPool] with name: [pool-a] in namespace: [default] failed.");
  }

  @Test
  void anAnswerOfTheServerIsWordedWithoutTheRequestDumpAndKeepsItsCode() {
    KubernetesClientException conflict = new KubernetesClientException("Failure executing: PUT at: "
        + SERVER + "apis/spiderpool.spidernet.io/v2beta1/spiderippools/a/status. Message: the object has been modified. "
        + "Received status: Status(apiVersion=v1, code=409, details=null, kind=Status).", 409,
        new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object has been modified").build());
    Throwable explained = Unreachable.explain(conflict, SERVER);
    assertThat(explained).hasMessage("the Kubernetes API server answered 409 Conflict: the object has been modified")
        .hasCause(conflict);
    assertThat(Kube.isConflict(explained)).as("still a conflict").isTrue();
    assertThat(Unreachable.explain(explained, SERVER)).as("worded once").isSameAs(explained);
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(Unreachable.explain(bug, SERVER)).isSameAs(bug);
    KubernetesClientException notIo = new KubernetesClientException("cannot decode", new IllegalArgumentException("x"));
    assertThat(Unreachable.explain(notIo, SERVER)).isSameAs(notIo);
  }
}
