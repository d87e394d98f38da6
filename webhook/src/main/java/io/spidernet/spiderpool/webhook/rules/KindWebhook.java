package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;

/**
 * The mutating and validating webhook of one kind. Both run on the webhook server's one event loop
 * and read only the {@link ClusterView}: they never block.
 */
public interface KindWebhook {
  Kind kind();

  /** Defaults; never refuses for a defaulting problem (validation reports it). */
  Verdict mutate(Review review);

  Verdict validate(Review review);
}
