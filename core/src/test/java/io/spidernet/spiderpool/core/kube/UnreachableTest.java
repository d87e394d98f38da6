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
  void anAnswerOfTheServerIsLeftAsItIs() {
    KubernetesClientException conflict = new KubernetesClientException(
        new StatusBuilder().withCode(409).withMessage("the object has been modified").build());
    assertThat(Unreachable.explain(conflict, SERVER)).isSameAs(conflict);
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(Unreachable.explain(bug, SERVER)).isSameAs(bug);
    KubernetesClientException notIo = new KubernetesClientException("cannot decode", new IllegalArgumentException("x"));
    assertThat(Unreachable.explain(notIo, SERVER)).isSameAs(notIo);
  }
}
