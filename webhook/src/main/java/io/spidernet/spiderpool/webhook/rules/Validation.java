package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.function.BiFunction;

/**
 * The validating flow every kind shares: read the objects as the kind, then hand CREATE, UPDATE
 * and DELETE to the kind's rules; an object that cannot be read as its kind is a bad request naming
 * it. Mutation's counterpart is {@link #readOrNull}: an unreadable object is left to validation.
 */
final class Validation {
  /** The rules of an UPDATE: the stored object (null when the review has none) and the new one. */
  interface Update<T> {
    Verdict apply(Review review, T old, T object);
  }

  private Validation() {}

  static <T extends HasMetadata> Verdict dispatch(Review review, ObjectTrees trees, Class<T> type,
      BiFunction<Review, T, Verdict> create, Update<T> update, BiFunction<Review, T, Verdict> delete) {
    try {
      T old = review.oldObject() == null ? null : trees.read(review.oldObject(), type);
      if (review.isDelete()) {
        return delete.apply(review, old);
      }
      T object = trees.read(review.object(), type);
      if (review.isCreate()) {
        return create.apply(review, object);
      }
      return review.isUpdate() ? update.apply(review, old, object) : Verdict.ALLOWED;
    } catch (ObjectTrees.Unreadable e) {
      return Verdict.refused(Refusal.badRequest(type.getSimpleName() + " " + FieldError.quote(review.name())
          + " cannot be read: " + e.getMessage()));
    }
  }

  /** The review's object as the kind, or null when there is none or it cannot be read (mutation then leaves it alone). */
  static <T> T readOrNull(Review review, ObjectTrees trees, Class<T> type) {
    if (review.object() == null) {
      return null;
    }
    try {
      return trees.read(review.object(), type);
    } catch (ObjectTrees.Unreadable e) {
      return null;
    }
  }
}
