import { useState } from 'react';
import { api, type Review } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { REPLY_MAX, ReviewItem, TextDialog } from '../../reviews/ui';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** "Avaliações": the lawyer's visible reviews, each with a one-time public reply. */
export function LawyerReviewsPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const reviews = useLoad(() => api.lawyerReviews(user.id), [user.id]);
  const [replying, setReplying] = useState<Review | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('section.lawyer.reviews')}>
        <p className="lead">{t('lawyerReviews.lead')}</p>
      </PageHeader>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      {reviews.error !== null && <LoadError error={reviews.error} retry={reviews.reload} />}
      {!reviews.data && reviews.error === null && <Loading />}
      {reviews.data && reviews.data.length === 0 && <p className="empty">{t('reviews.empty')}</p>}
      {reviews.data?.map((r) => (
        <ReviewItem key={r.id} review={r}>
          {!r.lawyer_reply && (
            <button type="button" className="button button-small" onClick={() => { setDone(null); setReplying(r); }}>
              {t('lawyerReviews.replySubmit')}
              <span className="visually-hidden"> — {t('reviews.by', { name: r.author_name })}</span>
            </button>
          )}
        </ReviewItem>
      ))}
      {replying && (
        <TextDialog
          title={t('reviews.reply')}
          label={t('lawyerReviews.replyField')}
          hint={t('lawyerReviews.replyHint', { max: REPLY_MAX })}
          max={REPLY_MAX}
          missing={t('lawyerReviews.replyMissing')}
          submitLabel={t('lawyerReviews.replySubmit')}
          send={async (text) => {
            const updated = await api.replyToReview(replying.id, text);
            reviews.setData((reviews.data ?? []).map((r) => (r.id === updated.id ? updated : r)));
            setReplying(null);
            setDone(t('lawyerReviews.replied'));
          }}
          onClose={() => setReplying(null)}
        >
          <ReviewItem review={replying} />
        </TextDialog>
      )}
    </>
  );
}
